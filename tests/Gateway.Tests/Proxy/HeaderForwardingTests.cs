using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Tests.Auth;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Gateway.Tests.Proxy;

public sealed class HeaderForwardingTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private WebApplicationFactory<Program> _gateway = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _key = await TestKeys.SeedAsync(redis.ConnectionString, new KeyRecord { Id = "key-headers", Name = "headers" });
        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
            .UseSetting("Gateway:Cache:Enabled", "false")
            .UseSetting("Gateway:Usage:Enabled", "false")
            .UseSetting("Gateway:Models:0:Name", "fake")
            .UseSetting("Gateway:Models:0:Targets:0:BaseUrl", _upstream.BaseUrl.ToString())
            .UseSetting("Gateway:Models:0:Targets:0:ApiKey", "sk-provider-secret")
            .UseSetting("Gateway:Models:0:Targets:0:Name", "fake-provider"));
        // Kestrel rather than the in-memory server: response framing (Content-Length) is what some tests check.
        _gateway.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        _gateway.StartServer();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<(HttpResponseMessage Response, IReadOnlyDictionary<string, string> UpstreamHeaders, JsonElement UpstreamBody)> SendAsync(
        object body, Action<HttpRequestHeaders> headers)
    {
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        headers(request.Headers);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        Assert.True(_upstream.Received.TryDequeue(out var received), "nothing reached the upstream");
        return (response,
            received.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            JsonDocument.Parse(received.Body).RootElement.Clone());
    }

    [Fact]
    public async Task Forward_ClientCredentials_ReplacedByTheTargetsKey()
    {
        var (response, upstream, _) = await SendAsync(new { model = "fake", messages = new[] { new { role = "user", content = "hi" } } },
            h =>
            {
                h.Add("OpenAI-Organization", "org-client");
                h.Add("Cookie", "session=abc");
            });

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer sk-provider-secret", upstream["Authorization"]);
        Assert.DoesNotContain(_key, string.Join("\n", upstream.Values));
        Assert.False(upstream.ContainsKey("OpenAI-Organization"));
        Assert.False(upstream.ContainsKey("Cookie"));
    }

    [Fact]
    public async Task Forward_HopByHopHeaders_AreDroppedAndOthersPass()
    {
        var (_, upstream, _) = await SendAsync(new { model = "fake", messages = new[] { new { role = "user", content = "hi" } } },
            h =>
            {
                h.TryAddWithoutValidation("Proxy-Authorization", "Basic Zm9vOmJhcg==");
                h.TryAddWithoutValidation("Keep-Alive", "timeout=5");
                h.Add("x-custom-tag", "blue");
            });

        Assert.False(upstream.ContainsKey("Proxy-Authorization"));
        Assert.False(upstream.ContainsKey("Keep-Alive"));
        Assert.Equal("blue", upstream["x-custom-tag"]);
    }

    [Fact]
    public async Task Forward_RequestIdAndTraceContext_ReachTheUpstream()
    {
        // The caller's span, as an instrumented application has it. Setting the header by hand would not do: this test's
        // HttpClient runs in the Gateway's process, whose tracing listens to every HttpClient, so the client sends the
        // context of its own span, a child of the ambient one.
        using var caller = new Activity("caller").SetParentId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").Start();
        var (response, upstream, _) = await SendAsync(new { model = "fake", messages = new[] { new { role = "user", content = "hi" } } },
            h => h.Add("aig-request-id", "abc-123"));

        Assert.Equal("abc-123", upstream["aig-request-id"]);
        Assert.Contains("0af7651916cd43dd8448eb211c80319c", upstream["traceparent"]);
        Assert.Equal("fake-provider", response.Headers.GetValues("aig-target").Single());
        Assert.Equal("fake", response.Headers.GetValues("x-upstream-marker").Single());
        Assert.Equal(["one", "two"], response.Headers.GetValues("x-upstream-values"));
    }

    [Fact]
    public async Task Forward_StreamWithoutUsageOption_AsksTheUpstreamForUsage()
    {
        var (_, _, body) = await SendAsync(new { model = "fake", stream = true, messages = new[] { new { role = "user", content = "hi" } } }, _ => { });

        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("fake", body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Forward_StreamWithContentLengthAndUsageHidden_ClientGetsTheWholeShorterStream()
    {
        var (response, _, _) = await SendAsync(new { model = "fake", stream = true, messages = new[] { new { role = "user", content = "hi" } } }, _ => { });

        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[DONE]", payloads[^1]);
        Assert.DoesNotContain(payloads, Sse.IsUsageChunk);
        Assert.Equal("ok", Sse.ContentOf(payloads));
    }
}
