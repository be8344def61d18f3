using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.Testing;
using AiPlatform.UsageApi.Keys;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.UsageApi.Tests.Keys;

/// <summary>The records Gateways read from Redis: written on every change, with the invalidation published.</summary>
public sealed class KeyRecordTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly string[] s_recordFields =
        ["id", "name", "rpm", "tpm", "budget_usd", "budget_period", "models", "expires_at", "cache_namespace", "log_payloads", "revoked"];

    private WebApplicationFactory<Program> _usageApi = null!;
    private HttpClient _client = null!;
    private RedisProbe _redis = null!;

    public async Task InitializeAsync()
    {
        _usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis);
        _client = _usageApi.CreateAdminClient();
        _redis = await RedisProbe.ConnectAsync(redis);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _usageApi.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Create_Key_WritesRecordWithExactFieldsAndPublishesInvalidation()
    {
        var (id, key, _) = await _client.CreateKeyAsync("""
            {"name": "recorded", "rpm": 60, "tpm": 5000, "budget_usd": 12.25, "models": ["m1", "m2"],
             "expires_at": "2099-05-01T08:30:00Z", "metadata": {"secret_note": "not for gateways"}, "cache_namespace": "shared-ns"}
            """);

        await _redis.WaitForInvalidationAsync(key);
        var record = (await _redis.ReadRecordAsync(key))!.Value;

        Assert.Equal(s_recordFields, record.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, record.GetProperty("id").GetString());
        Assert.Equal("recorded", record.GetProperty("name").GetString());
        Assert.Equal(60, record.GetProperty("rpm").GetInt32());
        Assert.Equal(5000, record.GetProperty("tpm").GetInt32());
        Assert.Equal("12.25", record.GetProperty("budget_usd").GetRawText());
        Assert.Equal("[\"m1\",\"m2\"]", record.GetProperty("models").GetRawText());
        Assert.Equal(new DateTimeOffset(2099, 5, 1, 8, 30, 0, TimeSpan.Zero), record.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal("shared-ns", record.GetProperty("cache_namespace").GetString());
        Assert.False(record.GetProperty("log_payloads").GetBoolean());
        Assert.False(record.GetProperty("revoked").GetBoolean());
        Assert.Null(await _redis.Database.KeyTimeToLiveAsync($"aig:key:{RedisProbe.HashHex(key)}"));
    }

    [Fact]
    public async Task Create_NoLimits_RecordHasNullsAndEmptyModels()
    {
        var (_, key, _) = await _client.CreateKeyAsync("""{"name": "plain"}""");

        await _redis.WaitForInvalidationAsync(key);
        var record = (await _redis.ReadRecordAsync(key))!.Value;

        Assert.Equal(s_recordFields, record.EnumerateObject().Select(p => p.Name));
        foreach (var field in new[] { "rpm", "tpm", "budget_usd", "budget_period", "expires_at", "cache_namespace" })
        {
            Assert.Equal(JsonValueKind.Null, record.GetProperty(field).ValueKind);
        }

        Assert.Equal("[]", record.GetProperty("models").GetRawText());
    }

    [Fact]
    public async Task Patch_Key_RewritesRecordAndPublishesInvalidation()
    {
        var (id, key, _) = await _client.CreateKeyAsync("""{"name": "patched", "rpm": 10, "models": ["a"]}""");
        await _redis.WaitForInvalidationAsync(key);

        (await _client.PatchJsonAsync($"/v1/keys/{id}", """{"rpm": null, "tpm": 77, "models": null, "name": "renamed"}""")).Dispose();

        await _redis.WaitForInvalidationAsync(key);
        var record = (await _redis.ReadRecordAsync(key))!.Value;
        Assert.Equal(JsonValueKind.Null, record.GetProperty("rpm").ValueKind);
        Assert.Equal(77, record.GetProperty("tpm").GetInt32());
        Assert.Equal("[]", record.GetProperty("models").GetRawText());
        Assert.Equal("renamed", record.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Patch_LogPayloads_RecordCarriesItBothWays()
    {
        var (id, key, _) = await _client.CreateKeyAsync("""{"name": "payloads", "log_payloads": true}""");
        await _redis.WaitForInvalidationAsync(key);
        Assert.True((await _redis.ReadRecordAsync(key))!.Value.GetProperty("log_payloads").GetBoolean());

        (await _client.PatchJsonAsync($"/v1/keys/{id}", """{"log_payloads": false}""")).Dispose();

        await _redis.WaitForInvalidationAsync(key);
        Assert.Equal("false", (await _redis.ReadRecordAsync(key))!.Value.GetProperty("log_payloads").GetRawText());
    }

    [Fact]
    public async Task Revoke_Key_WritesTombstoneExpiringWithinSevenDaysAndPublishes()
    {
        var (id, key, _) = await _client.CreateKeyAsync();
        await _redis.WaitForInvalidationAsync(key);

        (await _client.DeleteAsync($"/v1/keys/{id}")).Dispose();

        await _redis.WaitForInvalidationAsync(key);
        var record = (await _redis.ReadRecordAsync(key))!.Value;
        Assert.Equal(s_recordFields, record.EnumerateObject().Select(p => p.Name));
        Assert.True(record.GetProperty("revoked").GetBoolean());
        var ttl = await _redis.Database.KeyTimeToLiveAsync($"aig:key:{RedisProbe.HashHex(key)}");
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task Lookup_KnownHash_Returns200WithRedisRecordAndRewritesIt()
    {
        var (_, key, _) = await _client.CreateKeyAsync("""{"name": "looked up", "rpm": 5}""");
        await _redis.WaitForInvalidationAsync(key);
        var original = (await _redis.Database.StringGetAsync($"aig:key:{RedisProbe.HashHex(key)}")).ToString();
        await _redis.Database.KeyDeleteAsync($"aig:key:{RedisProbe.HashHex(key)}");

        using var response = await _client.GetAsync($"/v1/keys/lookup/{RedisProbe.HashHex(key)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(original, await response.Content.ReadAsStringAsync());
        await _redis.WaitForInvalidationAsync(key);
        Assert.Equal(original, (await _redis.Database.StringGetAsync($"aig:key:{RedisProbe.HashHex(key)}")).ToString());
    }

    [Fact]
    public async Task Lookup_RevokedKey_Returns200Tombstone()
    {
        var (id, key, _) = await _client.CreateKeyAsync();
        (await _client.DeleteAsync($"/v1/keys/{id}")).Dispose();

        using var response = await _client.GetAsync($"/v1/keys/lookup/{RedisProbe.HashHex(key).ToUpperInvariant()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public async Task Lookup_UnknownHash_Returns404InOpenAiShape()
    {
        using var response = await _client.GetAsync($"/v1/keys/lookup/{RedisProbe.HashHex("sk-aig-never-issued")}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, ApiErrorCodes.NotFound);
    }

    [Fact]
    public async Task Lookup_MalformedHash_Returns400()
    {
        using var response = await _client.GetAsync("/v1/keys/lookup/not-a-hash");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("hash", (await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Write_OlderVersionAfterNewer_KeepsNewerRecord()
    {
        var (id, key, _) = await _client.CreateKeyAsync("""{"name": "v1"}""");
        var store = _usageApi.Services.GetRequiredService<KeyStore>();
        var writer = _usageApi.Services.GetRequiredService<KeyRecordWriter>();
        var version1 = (await store.GetAsync(Guid.Parse(id), CancellationToken.None))!;
        (await _client.DeleteAsync($"/v1/keys/{id}")).Dispose();
        await Eventually.TrueAsync(async () => (await _redis.ReadRecordAsync(key))?.GetProperty("revoked").GetBoolean() == true, TestTimeouts.Default);

        // A late write of the state before the revocation, as a slow retry or re-sync could make.
        var written = await writer.WriteAsync(version1);

        Assert.False(written);
        Assert.True((await _redis.ReadRecordAsync(key))!.Value.GetProperty("revoked").GetBoolean());
    }
}
