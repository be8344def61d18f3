using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace AiPlatform.Gateway.Tests.Proxy;

[Collection(InferencePathCollection.Name)]
public sealed class ProxyErrorTests(InferencePathFixture platform)
{
    private static readonly object s_hello = new { role = "user", content = "hello" };

    private async Task<(HttpResponseMessage Response, JsonElement Error)> PostChatAsync(object body, params (string Name, string Value)[] headers)
    {
        using var client = platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = JsonContent.Create(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var response = await client.SendAsync(request);
        return (response, await ErrorOfAsync(response));
    }

    private static async Task<JsonElement> ErrorOfAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
        {
            return default;
        }

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        var error = json.RootElement.GetProperty("error").Clone();
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        return error;
    }

    [Fact]
    public async Task Chat_UnknownModelThroughSdk_Throws404()
    {
        var chat = new OpenAIClient(new ApiKeyCredential(platform.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(platform.GatewayUrl, "v1") })
            .GetChatClient("no-such-model");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.Message);
    }

    [Fact]
    public async Task Chat_MissingMessages_Returns400NamingTheParameter()
    {
        var (response, error) = await PostChatAsync(new { model = "sim" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("messages", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Chat_BrokenJson_Returns400()
    {
        using var client = platform.CreateGatewayClient();
        using var response = await client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative),
            new StringContent("{\"model\": \"sim\", \"messages\": [", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await ErrorOfAsync(response);
    }

    [Fact]
    public async Task Chat_DeclaredBodyOverLimit_Returns413WithoutReadingIt()
    {
        using var client = platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new ByteArrayContent(new byte[9 * 1024 * 1024]) };
        // With "Expect: 100-continue" the client waits for the server's go-ahead before sending the body, so the
        // refusal can be read; without it the client is still writing when the connection closes.
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await ErrorOfAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_ChunkedBodyOverLimit_Returns413()
    {
        using var client = platform.CreateGatewayClient();
        using var content = new StreamContent(new MemoryStream(new byte[9 * 1024 * 1024]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Chat_UpstreamUnreachable_Returns502()
    {
        var (response, error) = await PostChatAsync(new { model = "down", messages = new[] { s_hello } });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_unreachable", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_FirstTargetUnreachable_FallsBackToTheNext()
    {
        var (response, _) = await PostChatAsync(new { model = "fallback", messages = new[] { s_hello } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("inference@", response.Headers.GetValues("aig-target").Single());
    }

    [Fact]
    public async Task Chat_UpstreamTooSlow_Returns504()
    {
        var (response, error) = await PostChatAsync(new { model = "sim", messages = new[] { s_hello } },
            ("aig-sim-fault", "timeout"), ("aig-request-timeout", "0.5"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream_timeout", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_BadRequestTimeoutHeader_Returns400()
    {
        var (response, error) = await PostChatAsync(new { model = "sim", messages = new[] { s_hello } }, ("aig-request-timeout", "soon"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("aig-request-timeout", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Chat_RequestTimeoutRoundingToZero_Returns400()
    {
        // Found by tests/Fuzz.Tests: 1e-300 is above 0 but is no time at all, and timed the request out at once (504).
        var (response, error) = await PostChatAsync(new { model = "sim", messages = new[] { s_hello } }, ("aig-request-timeout", "1e-300"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("aig-request-timeout", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Chat_UpstreamAnswers404_PassedOnInOpenAIShape()
    {
        var (response, error) = await PostChatAsync(new { model = "unknown-upstream", messages = new[] { s_hello } });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_UpstreamRateLimited_Returns429WithRetryAfter()
    {
        var (response, _) = await PostChatAsync(new { model = "sim", messages = new[] { s_hello } }, ("aig-sim-fault", "429"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Chat_UpstreamFails500_Returns502()
    {
        var (response, error) = await PostChatAsync(new { model = "sim", messages = new[] { s_hello } }, ("aig-sim-fault", "500"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task UnknownPath_Returns404InOpenAIShape()
    {
        using var client = platform.CreateGatewayClient();
        using var response = await client.GetAsync(new Uri("v1/assistants", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await ErrorOfAsync(response);
    }

    // Found by a hostile corpus: invalid UTF-8 inside a JSON string reached the cache key's canonical form and answered 500.
    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe })]
    [InlineData(new byte[] { (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0' })]
    public async Task Chat_StringThatIsNotText_Returns400AndTheNextRequestIsServed(byte[] content)
    {
        using var client = platform.CreateGatewayClient();
        var body = new List<byte>(Encoding.UTF8.GetBytes("""{"model":"sim","messages":[{"role":"user","content":" """));
        body.AddRange(content);
        body.AddRange(Encoding.UTF8.GetBytes("\"}]}"));
        using var bad = new ByteArrayContent(body.ToArray());
        bad.Headers.ContentType = new("application/json");

        using var refused = await client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), bad);
        var error = await ErrorOfAsync(refused);
        var (next, _) = await PostChatAsync(new { model = "sim", messages = new[] { s_hello } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        next.Dispose();
    }
}
