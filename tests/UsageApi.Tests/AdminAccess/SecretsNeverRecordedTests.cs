using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.Testing;
using AiPlatform.Testing.Telemetry;
using AiPlatform.UsageApi.Keys;
using AiPlatform.UsageApi.Tests.Ledger;
using Microsoft.AspNetCore.TestHost;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>
/// Admin traffic with known secrets (the master key and a near miss, an admin token and a made-up one, virtual keys as
/// created, the forwarder key and a wrong one, sign-in guesses up to the failed-attempt limit, a prompt and an answer in
/// a usage event's payload), then every log entry, span and metric tag UsageApi produced is searched for them. None may
/// appear.
/// </summary>
public sealed class SecretsNeverRecordedTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    private const string MasterKey = "sk-aig-master-never-recorded-0123456789abcdef";
    private const string WrongMasterKey = "sk-aig-master-never-recorded-0123456789abcdeX";
    private const string ForwarderKey = "sk-aig-fwd-never-recorded-0123456789abcdefghij";
    private const string WrongForwarderKey = "sk-aig-fwd-never-recorded-0123456789abcdefghiX";
    private const string Prompt = "the caller's prompt, never recorded: 8f3c2a71d94e4b0c";
    private const string Answer = "the model's answer, never recorded: 5b7e19c0a2d64f38";

    // Failures per client address and window: the client's own address makes this many (each refused with 401), the
    // browser forwarded for it one more, which is answered 429.
    private const int FailuresPerWindow = 5;
    private const string Browser = "198.51.100.7";

    [Fact]
    public async Task AdminTraffic_WithKnownSecrets_NoLogSpanOrMetricHoldsOne()
    {
        var telemetry = new RecordedTelemetry();
        await using var usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis, clock: null, MasterKey,
                ("AdminAuth:FailuresPerWindow", FailuresPerWindow.ToString(CultureInfo.InvariantCulture)), ("AIPLATFORM_FORWARDER_KEY", ForwarderKey))
            .WithWebHostBuilder(web => web.ConfigureTestServices(telemetry.AddTo));
        using var client = usageApi.CreateClient();
        var wrongToken = AdminTokenFormat.Prefix + new string('w', 43);
        var guesses = Enumerable.Range(0, FailuresPerWindow + 1).Select(i => $"sk-aig-guess-{i}-{Guid.NewGuid():N}").ToList();

        // The master key makes an admin token; the token reads and makes a key; the master key makes another, with payloads.
        var created = await SendAsync(client, MasterKey, HttpMethod.Post, "/v1/admin/tokens", HttpStatusCode.Created, JsonSerializer.Serialize(new
        {
            name = "never recorded",
            scopes = new[] { AdminScopes.KeysRead, AdminScopes.KeysWrite },
            expires_at = DateTimeOffset.UtcNow.AddDays(1),
        }));
        var (tokenId, token) = (created.GetProperty("id").GetString()!, created.GetProperty("token").GetString()!);
        await SendAsync(client, token, HttpMethod.Get, "/v1/admin/me", HttpStatusCode.OK);
        var keyOfToken = (await SendAsync(client, token, HttpMethod.Post, "/v1/keys", HttpStatusCode.Created, """{"name": "by the token"}"""))
            .GetProperty("key").GetString()!;
        await SendAsync(client, token, HttpMethod.Get, "/v1/keys", HttpStatusCode.OK);
        var key = await SendAsync(client, MasterKey, HttpMethod.Post, "/v1/keys", HttpStatusCode.Created, """{"name": "logged", "log_payloads": true}""");
        var (keyId, plainKey) = (key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);

        // What the Gateway calls: a key's lookup by its hash after a Redis miss (a known and an unknown key), an admin
        // token's introspection (the token in the body), and usage events with their payload, then one refused.
        await SendAsync(client, MasterKey, HttpMethod.Get, $"/v1/keys/lookup/{HashOf(plainKey)}", HttpStatusCode.OK);
        await SendAsync(client, MasterKey, HttpMethod.Get, $"/v1/keys/lookup/{HashOf(WrongMasterKey)}", HttpStatusCode.NotFound);
        Assert.Equal(tokenId, (await SendAsync(client, MasterKey, HttpMethod.Post, "/v1/admin/introspect", HttpStatusCode.OK,
            JsonSerializer.Serialize(new { token }))).GetProperty("id").GetString());
        await SendAsync(client, MasterKey, HttpMethod.Post, "/v1/admin/introspect", HttpStatusCode.OK, JsonSerializer.Serialize(new { token = wrongToken }));
        var requestId = $"never-recorded-{Guid.NewGuid():N}";
        var usage = new TestEvent { RequestId = requestId, Timestamp = DateTimeOffset.UtcNow, KeyId = keyId, Payload = new TestPayload(Prompt, Answer) };
        await SendAsync(client, MasterKey, HttpMethod.Post, "/v1/usage/events", HttpStatusCode.OK, TestEvents.Batch([usage]));
        await SendAsync(client, MasterKey, HttpMethod.Post, "/v1/usage/events", HttpStatusCode.BadRequest,
            TestEvents.Batch([usage with { RequestId = requestId + "-refused", StatusCode = 42 }]));
        var record = await SendAsync(client, MasterKey, HttpMethod.Get, $"/v1/usage/records/{requestId}", HttpStatusCode.OK);
        Assert.Equal(Prompt, record.GetProperty("payload").GetProperty("request").GetString());

        // Changed, revoked, and each revoked credential tried again.
        await SendAsync(client, MasterKey, HttpMethod.Patch, $"/v1/keys/{keyId}", HttpStatusCode.OK, """{"rpm": 60}""");
        await SendAsync(client, MasterKey, HttpMethod.Delete, $"/v1/keys/{keyId}", HttpStatusCode.OK);
        await SendAsync(client, MasterKey, HttpMethod.Get, $"/v1/keys/lookup/{HashOf(plainKey)}", HttpStatusCode.OK);
        await SendAsync(client, MasterKey, HttpMethod.Delete, $"/v1/admin/tokens/{tokenId}", HttpStatusCode.OK);

        // The client's own address fails as often as it may: nothing but 401.
        await SendAsync(client, token, HttpMethod.Get, "/v1/admin/me", HttpStatusCode.Unauthorized);
        await SendAsync(client, WrongMasterKey, HttpMethod.Get, "/v1/keys", HttpStatusCode.Unauthorized);
        await SendAsync(client, wrongToken, HttpMethod.Get, "/v1/keys", HttpStatusCode.Unauthorized);
        await SendAsync(client, plainKey, HttpMethod.Get, "/v1/keys", HttpStatusCode.Unauthorized);
        await SendAsync(client, guesses[0], HttpMethod.Get, "/v1/admin/me", HttpStatusCode.Unauthorized, forwarded: (Browser, WrongForwarderKey));

        // Sign-ins forwarded by the Dashboard for one browser, which guesses until it is blocked, then even the master key is refused.
        foreach (var guess in guesses)
        {
            var expected = guess == guesses[^1] ? HttpStatusCode.TooManyRequests : HttpStatusCode.Unauthorized;
            await SendAsync(client, guess, HttpMethod.Get, "/v1/admin/me", expected, forwarded: (Browser, ForwarderKey));
        }

        await SendAsync(client, MasterKey, HttpMethod.Get, "/v1/admin/me", HttpStatusCode.TooManyRequests, forwarded: (Browser, ForwarderKey));

        var recorded = telemetry.Collect(usageApi.Services);
        // The captures saw where a secret would most likely slip: the refusals' and the block's log lines, the spans' URLs.
        Assert.Contains(telemetry.Logs, text => text.Contains("Rejected admin request GET /v1/keys", StringComparison.Ordinal));
        Assert.Contains(telemetry.Logs, text => text.Contains($"Admin authentication from {Browser} blocked", StringComparison.Ordinal));
        Assert.Contains(recorded, text => text.Contains("/v1/keys/lookup/", StringComparison.Ordinal));
        Assert.Contains(recorded, text => text.Contains("/v1/usage/events", StringComparison.Ordinal));
        Assert.Contains(recorded, text => text.StartsWith("http.server.request.duration", StringComparison.Ordinal));
        RecordedTelemetry.AssertNoneHolds(recorded, [
            ("master key", MasterKey), ("wrong master key", WrongMasterKey), ("admin token", token), ("wrong admin token", wrongToken),
            ("key made by the token", keyOfToken), ("key made by the master key", plainKey), ("forwarder key", ForwarderKey),
            ("wrong forwarder key", WrongForwarderKey), ("prompt", Prompt), ("answer", Answer),
            .. guesses.Select((guess, i) => ($"guess {i}", guess))]);
    }

    /// <summary>The key's hex SHA-256, as the Gateway looks it up.</summary>
    private static string HashOf(string key) => ApiKeyHash.ToHex(ApiKeyHash.Compute(key));

    /// <summary>Sends with <paramref name="credential"/> as Bearer, asserts <paramref name="expected"/>, returns the body's JSON.</summary>
    private static async Task<JsonElement> SendAsync(
        HttpClient client, string credential, HttpMethod method, string path, HttpStatusCode expected, string? json = null,
        (string Address, string ForwarderKey)? forwarded = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        if (forwarded is { } browser)
        {
            request.Headers.Add(AdminClientAddress.ForwardedForHeader, browser.Address);
            request.Headers.Add(AdminClientAddress.ForwarderKeyHeader, browser.ForwarderKey);
        }

        if (json is not null)
        {
            request.Content = UsageApiHost.Json(json);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
        return body.Length == 0 ? default : JsonElement.Parse(body);
    }
}
