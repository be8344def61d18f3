using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using AiPlatform.Testing.Telemetry;

namespace AiPlatform.Gateway.Tests.Auth;

/// <summary>
/// Traffic with known secrets (a virtual key, a wrong one, the master key, a wrong one, a provider's key), then every
/// log entry (message, structured values, exception), every span (name, tags, events) and every metric point's tags the
/// Gateway produced are searched for them. None may appear.
/// </summary>
public sealed class SecretsNeverRecordedTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string MasterKey = "sk-aig-master-never-recorded-0123456789abcdef";
    private const string WrongMasterKey = "sk-aig-master-never-recorded-0123456789abcdeX";
    private const string ProviderKey = "sk-provider-never-recorded-0123456789abcdef";

    [Fact]
    public async Task Traffic_WithKnownSecrets_NoLogSpanOrMetricHoldsOne()
    {
        var telemetry = new RecordedTelemetry();
        await using var worker = SimulatorWorker.Start();
        string? providerSaw = null;
        await using var provider = await ScriptedProvider.StartAsync((_, context) =>
        {
            providerSaw = context.Request.Headers.Authorization.ToString();
            return ScriptedProvider.Completion(context);
        });
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["AIPLATFORM_MASTER_KEY"] = MasterKey,
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = worker.ApiUrl,
            ["Gateway:Models:1:Name"] = "provider",
            ["Gateway:Models:1:Targets:0:BaseUrl"] = provider.ApiUrl,
            ["Gateway:Models:1:Targets:0:ApiKey"] = ProviderKey,
        }, services: telemetry.AddTo);
        var wrongKey = "sk-aig-" + new string('w', 43);

        using (var client = gateway.CreateClient())
        {
            await SendChatAsync(client, gateway.ApiKey, "sim", stream: false, HttpStatusCode.OK);
            await SendChatAsync(client, gateway.ApiKey, "sim", stream: true, HttpStatusCode.OK);
            await SendChatAsync(client, gateway.ApiKey, "provider", stream: false, HttpStatusCode.OK);
            // Unknown keys: 401, or 503 here, where no UsageApi answers the lookup after Redis' miss; refused either way.
            await SendChatAsync(client, wrongKey, "sim", stream: false, null);
            await SendChatAsync(client, MasterKey, "sim", stream: false, null);
            await SendAdminAsync(client, MasterKey, HttpStatusCode.OK);
            await SendAdminAsync(client, WrongMasterKey, HttpStatusCode.Unauthorized);
            await SendAdminAsync(client, gateway.ApiKey, HttpStatusCode.Unauthorized);
        }

        var recorded = telemetry.Collect(gateway.Services);
        Assert.Equal("Bearer " + ProviderKey, providerSaw);
        // The captures saw the requests where a secret would most likely slip: the refusals' log lines, the spans' URLs.
        Assert.Contains(telemetry.Logs, text => text.Contains("Rejected admin request GET /v1/admin/backends", StringComparison.Ordinal));
        Assert.Contains(recorded, text => text.Contains("/v1/chat/completions", StringComparison.Ordinal));
        Assert.Contains(recorded, text => text.StartsWith("http.server.request.duration", StringComparison.Ordinal));
        // A display prefix such as "sk-aig-AbCd…" may be recorded, the rest never.
        RecordedTelemetry.AssertNoneHolds(recorded, [("virtual key", gateway.ApiKey), ("wrong virtual key", wrongKey),
            ("master key", MasterKey), ("wrong master key", WrongMasterKey), ("provider key", ProviderKey)]);
    }

    // expected: the status, or null for any refusal.
    private static async Task SendChatAsync(HttpClient client, string key, string model, bool stream, HttpStatusCode? expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model, stream, messages = new[] { new { role = "user", content = "hello" } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        if (expected is { } status)
        {
            Assert.Equal(status, response.StatusCode);
        }
        else
        {
            Assert.False(response.IsSuccessStatusCode, $"{model} with a wrong key answered {(int)response.StatusCode}");
        }
    }

    private static async Task SendAdminAsync(HttpClient client, string credential, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/admin/backends");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }
}
