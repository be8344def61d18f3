using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Tests.Auth;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace AiPlatform.Gateway.Tests.Support;

/// <summary>
/// A Gateway on a real Kestrel port of 127.0.0.1 over a real Redis, with the models and resilience settings the test
/// gives, and a virtual key of its own without limits. The response cache and the usage ledger are off: every request
/// must reach an upstream, and there is no UsageApi here.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private TestGateway(WebApplicationFactory<Program> factory, Uri url, string apiKey)
    {
        _factory = factory;
        Url = url;
        ApiKey = apiKey;
    }

    public Uri Url { get; }

    public string ApiKey { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts a Gateway with <paramref name="settings"/> on top of the defaults; <paramref name="logs"/>, when given, receives its log entries from Information up.</summary>
    public static async Task<TestGateway> StartAsync(
        RedisServer redis, IReadOnlyDictionary<string, string?> settings, LogCapture? logs = null, Action<IServiceCollection>? services = null)
    {
        var apiKey = await TestKeys.SeedAsync(redis.ConnectionString, new KeyRecord { Id = "key-" + Guid.NewGuid().ToString("n"), Name = "gateway tests" });
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:cache", redis.ConnectionString);
            web.UseSetting("Gateway:Cache:Enabled", "false");
            web.UseSetting("Gateway:Usage:Enabled", "false");
            web.UseSetting("Gateway:Forwarding:ConnectTimeout", "00:00:02");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            // Per-request logs of a few hundred requests cost the two cores of CI more than they tell; the levels are
            // configuration, since appsettings.json sets them there and configured rules win over SetMinimumLevel.
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            if (logs is not null)
            {
                web.ConfigureTestServices(logs.For("AiPlatform"));
            }

            if (services is not null)
            {
                web.ConfigureTestServices(services);
            }
        });
        try
        {
            return new TestGateway(factory, factory.StartOnLoopback(), apiKey);
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
    }

    /// <summary>Base URLs nothing listens on (ports that were free a moment ago), all different: targets that are down.</summary>
    public static string[] ClosedTargetUrls(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(FreePort.Next());
        }

        return [.. ports.Select(port => $"http://127.0.0.1:{port}/v1")];
    }

    /// <summary>A client sending the Gateway's own key, or <paramref name="apiKey"/> when given.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey ?? ApiKey);
        return client;
    }

    /// <summary>The official SDK as a caller uses it, without its own retries, which would hide the Gateway's.</summary>
    public OpenAIClient OpenAi() =>
        new(new ApiKeyCredential(ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(Url, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TestTimeouts.Default,
        });

    public ChatClient Chat(string model) => OpenAi().GetChatClient(model);

    /// <summary>The model names <c>GET /v1/models</c> lists, read with the official SDK.</summary>
    public async Task<IReadOnlyList<string>> ModelIdsAsync() => [.. (await OpenAi().GetOpenAIModelClient().GetModelsAsync()).Value.Select(m => m.Id)];

    /// <summary>Posts a one-message chat completion request for <paramref name="model"/>, with the headers given.</summary>
    public static Task<HttpResponseMessage> PostChatAsync(HttpClient client, string model, params (string Name, string Value)[] headers) =>
        PostChatAsync(client, model, stream: false, headers);

    public static Task<HttpResponseMessage> PostChatAsync(HttpClient client, string model, bool stream, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model, stream, messages = new[] { new { role = "user", content = "hello" } } }),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}

/// <summary>Reading the Gateway's answers as the tests need them.</summary>
internal static class GatewayAnswers
{
    /// <summary>A response header's value; empty when it is absent.</summary>
    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
