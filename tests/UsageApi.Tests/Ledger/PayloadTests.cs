using System.Net;
using System.Text.Json;
using AiPlatform.Testing;
using AiPlatform.UsageApi.Ledger;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AiPlatform.UsageApi.Tests.Ledger;

/// <summary>
/// Payloads (the request and answer texts of keys with <c>log_payloads</c>) through ingestion, the record endpoint and
/// retention, against real Postgres. UsageApi's clock stands at <see cref="s_now"/>.
/// </summary>
public sealed class PayloadTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private WebApplicationFactory<Program> _usageApi = null!;
    private HttpClient _client = null!;
    private string _usageDb = null!;

    public async Task InitializeAsync()
    {
        _usageDb = await postgres.CreateDatabaseAsync();
        _usageApi = UsageApiHost.Create(_usageDb, redis, new ManualClock(s_now));
        _client = _usageApi.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _usageApi.DisposeAsync();
    }

    [Fact]
    public async Task Ingest_PayloadOfKeyWithLogPayloads_StoredAndShownWithItsRecord()
    {
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "logged", "log_payloads": true}""");
        var payload = new TestPayload("""{"model": "sim", "messages": [{"role": "user", "content": "Hello é 😀"}]}""", "Hi there!");

        await _client.IngestAsync(new TestEvent { RequestId = "logged-1", Timestamp = s_now, KeyId = keyId, Payload = payload });

        var record = await GetRecordAsync("logged-1");
        Assert.Equal(keyId, record.GetProperty("key_id").GetString());
        Assert.Equal(["request", "response", "truncated"], record.GetProperty("payload").EnumerateObject().Select(p => p.Name));
        Assert.Equal(payload.Request, record.GetProperty("payload").GetProperty("request").GetString());
        Assert.Equal("Hi there!", record.GetProperty("payload").GetProperty("response").GetString());
        Assert.False(record.GetProperty("payload").GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Ingest_PayloadWithoutResponse_StoredWithNullResponse()
    {
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "failed", "log_payloads": true}""");

        await _client.IngestAsync(new TestEvent
        {
            RequestId = "failed-1", Timestamp = s_now, KeyId = keyId, StatusCode = 502, Payload = new TestPayload("{}", null, Truncated: true),
        });

        var payload = (await GetRecordAsync("failed-1")).GetProperty("payload");
        Assert.Equal("{}", payload.GetProperty("request").GetString());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("response").ValueKind);
        Assert.True(payload.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Ingest_PayloadOfKeyWithoutLogPayloads_RecordStoredPayloadNot()
    {
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "not logged"}""");

        var result = await _client.IngestAsync(new TestEvent
        {
            RequestId = "unlogged-1", Timestamp = s_now, KeyId = keyId, Payload = new TestPayload("secret prompt", "secret answer"),
        });

        Assert.Equal((1, 0), result);
        Assert.Equal(JsonValueKind.Null, (await GetRecordAsync("unlogged-1")).GetProperty("payload").ValueKind);
        Assert.Equal(0, await PayloadCountAsync());
    }

    [Fact]
    public async Task Ingest_PayloadAfterKeyTurnedItOff_NotStored()
    {
        // A Gateway still holding the key's record from before the change keeps sending payloads for a while.
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "turned off", "log_payloads": true}""");
        using (var patch = await _client.PatchJsonAsync($"/v1/keys/{keyId}", """{"log_payloads": false}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        await _client.IngestAsync(new TestEvent { RequestId = "stale-1", Timestamp = s_now, KeyId = keyId, Payload = new TestPayload("p", "a") });

        Assert.Equal(JsonValueKind.Null, (await GetRecordAsync("stale-1")).GetProperty("payload").ValueKind);
        Assert.Equal(0, await PayloadCountAsync());
    }

    [Fact]
    public async Task Ingest_PayloadOfUnknownOrMissingKey_RecordsStoredPayloadsNot()
    {
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "logged", "log_payloads": true}""");
        var payload = new TestPayload("p", "a");

        var result = await _client.IngestAsync(
            new TestEvent { RequestId = "other-1", Timestamp = s_now, KeyId = "not-a-uuid", Payload = payload },
            new TestEvent { RequestId = "other-2", Timestamp = s_now, KeyId = Guid.NewGuid().ToString(), Payload = payload },
            new TestEvent { RequestId = "other-3", Timestamp = s_now, KeyId = null, Payload = payload },
            new TestEvent { RequestId = "other-4", Timestamp = s_now, KeyId = keyId, Payload = payload });

        Assert.Equal((4, 0), result);
        Assert.Equal(1, await PayloadCountAsync());
        Assert.Equal(JsonValueKind.Object, (await GetRecordAsync("other-4")).GetProperty("payload").ValueKind);
    }

    [Fact]
    public async Task Ingest_PayloadOverMaxChars_CutMarkedTruncatedAndBatchKept()
    {
        await using var usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis, new ManualClock(s_now),
            settings: ("Ledger:Payloads:MaxChars", "1000"));
        using var client = usageApi.CreateAdminClient();
        var (keyId, _, _) = await client.CreateKeyAsync("""{"name": "long", "log_payloads": true}""");
        // The 1000th character is the first half of an emoji: the cut falls before it.
        var request = new string('q', 999) + "😀" + new string('r', 50_000);
        var exact = new string('a', 1000);

        var result = await client.IngestAsync(
            new TestEvent { RequestId = "long-1", Timestamp = s_now, KeyId = keyId, Payload = new TestPayload(request, exact) },
            new TestEvent { RequestId = "long-2", Timestamp = s_now, KeyId = keyId, Payload = new TestPayload(exact, exact + "b") },
            new TestEvent { RequestId = "long-3", Timestamp = s_now, KeyId = keyId, Payload = new TestPayload(exact, exact) });

        Assert.Equal((3, 0), result);
        var first = await GetPayloadAsync(client, "long-1");
        Assert.Equal(new string('q', 999), first.GetProperty("request").GetString());
        Assert.Equal(exact, first.GetProperty("response").GetString());
        Assert.True(first.GetProperty("truncated").GetBoolean());
        var second = await GetPayloadAsync(client, "long-2");
        Assert.Equal(exact, second.GetProperty("response").GetString());
        Assert.True(second.GetProperty("truncated").GetBoolean());
        Assert.False((await GetPayloadAsync(client, "long-3")).GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Ingest_PayloadOverDefaultMaxChars_CutTo32768()
    {
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "default cap", "log_payloads": true}""");

        await _client.IngestAsync(new TestEvent
        {
            RequestId = "cap-1", Timestamp = s_now, KeyId = keyId, Payload = new TestPayload(new string('x', 40_000), new string('y', 32_768)),
        });

        var payload = (await GetRecordAsync("cap-1")).GetProperty("payload");
        Assert.Equal(32_768, payload.GetProperty("request").GetString()!.Length);
        Assert.Equal(32_768, payload.GetProperty("response").GetString()!.Length);
        Assert.True(payload.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Ingest_TextPostgresCannotHold_StoredWithReplacementCharacters()
    {
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "odd text", "log_payloads": true}""");
        var json = $$$"""
            {"events": [{"request_id": "odd-1", "timestamp": "{{{s_now:O}}}", "status_code": 200, "key_id": "{{{keyId}}}",
                         "payload": {"request": "nul \u0000 here", "response": "cut \ud83d"}}]}
            """;

        using (var response = await _client.PostJsonAsync("/v1/usage/events", json))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var payload = (await GetRecordAsync("odd-1")).GetProperty("payload");
        Assert.Equal("nul \uFFFD here", payload.GetProperty("request").GetString());
        Assert.Equal("cut \uFFFD", payload.GetProperty("response").GetString());
    }

    [Fact]
    public async Task Ingest_SameBatchWithPayloadsTwice_OnePayloadEach()
    {
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "replayed", "log_payloads": true}""");
        var batch = TestEvents.Many("replay", 20, (i, e) => e with { KeyId = keyId, Payload = new TestPayload($"request {i}", $"answer {i}") }).ToList();

        Assert.Equal((20, 0), await _client.IngestAsync(batch));
        Assert.Equal((0, 20), await _client.IngestAsync(batch));

        Assert.Equal(20, await PayloadCountAsync());
        Assert.Equal("answer 7", (await GetRecordAsync("replay-000007")).GetProperty("payload").GetProperty("response").GetString());
    }

    [Fact]
    public async Task Record_RequestIdReusedAtAnotherTime_NewestRecordWithItsOwnPayload()
    {
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "reused", "log_payloads": true}""");
        await _client.IngestAsync(new TestEvent { RequestId = "reused", Timestamp = s_now.AddMinutes(-5), KeyId = keyId, Payload = new TestPayload("first", "one") });
        await _client.IngestAsync(new TestEvent { RequestId = "reused", Timestamp = s_now.AddMonths(-1), KeyId = keyId, Payload = new TestPayload("oldest", "zero") });

        var record = await GetRecordAsync("reused");
        Assert.Equal(s_now.AddMinutes(-5), record.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("first", record.GetProperty("payload").GetProperty("request").GetString());

        // The newest record has no payload: the older one's is not shown in its place.
        await _client.IngestAsync(new TestEvent { RequestId = "reused", Timestamp = s_now, KeyId = keyId });
        var newest = await GetRecordAsync("reused");
        Assert.Equal(s_now, newest.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("payload").ValueKind);
    }

    [Fact]
    public async Task Purge_PayloadsOlderThanRetention_DeletedAndRecordsKept()
    {
        var (keyId, _, _) = await _client.CreateKeyAsync("""{"name": "retained", "log_payloads": true}""");
        await _client.IngestAsync(
            new TestEvent { RequestId = "expired", Timestamp = s_now.AddDays(-30).AddSeconds(-1), KeyId = keyId, Payload = new TestPayload("old", "old") },
            new TestEvent { RequestId = "kept", Timestamp = s_now.AddDays(-30).AddSeconds(1), KeyId = keyId, Payload = new TestPayload("new", "new") });

        var deleted = await _usageApi.Services.GetRequiredService<PayloadRetention>().PurgeAsync(CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(JsonValueKind.Null, (await GetRecordAsync("expired")).GetProperty("payload").ValueKind);
        Assert.Equal("new", (await GetRecordAsync("kept")).GetProperty("payload").GetProperty("request").GetString());
    }

    [Fact]
    public async Task Purge_MoreExpiredPayloadsThanOneBatch_AllDeletedOthersKept()
    {
        var expired = PayloadRetention.BatchSize * 2 + 1;
        await ExecuteAsync($"""
            INSERT INTO usage_payloads (request_id, "timestamp", request, truncated)
            SELECT 'bulk-' || i, @now - interval '40 days' + i * interval '1 second', 'r', false FROM generate_series(1, {expired}) AS i;
            INSERT INTO usage_payloads (request_id, "timestamp", request, truncated)
            SELECT 'recent-' || i, @now - interval '1 day', 'r', false FROM generate_series(1, 3) AS i;
            """);

        var deleted = await _usageApi.Services.GetRequiredService<PayloadRetention>().PurgeAsync(CancellationToken.None);

        Assert.Equal(expired, deleted);
        Assert.Equal(3, await PayloadCountAsync());
    }

    [Fact]
    public async Task Purge_RetentionDaysSet_UsesIt()
    {
        await using var usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis, new ManualClock(s_now),
            settings: ("Ledger:Payloads:RetentionDays", "2"));
        using var client = usageApi.CreateAdminClient();
        var (keyId, _, _) = await client.CreateKeyAsync("""{"name": "short retention", "log_payloads": true}""");
        await client.IngestAsync(
            new TestEvent { RequestId = "three-days", Timestamp = s_now.AddDays(-3), KeyId = keyId, Payload = new TestPayload("p", "a") },
            new TestEvent { RequestId = "one-day", Timestamp = s_now.AddDays(-1), KeyId = keyId, Payload = new TestPayload("p", "a") });

        Assert.Equal(1, await usageApi.Services.GetRequiredService<PayloadRetention>().PurgeAsync(CancellationToken.None));
        Assert.Equal(JsonValueKind.Object, (await GetPayloadAsync(client, "one-day")).ValueKind);
    }

    [Theory]
    [InlineData("Ledger:Payloads:MaxChars", "0")]
    [InlineData("Ledger:Payloads:RetentionDays", "0")]
    public async Task Start_PayloadSettingOutOfRange_FailsNamingIt(string setting, string value)
    {
        await using var usageApi = UsageApiHost.Create(_usageDb, redis, clock: null, settings: (setting, value));

        var error = Assert.Throws<OptionsValidationException>(() => usageApi.CreateClient());

        Assert.Contains(setting.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    private Task<JsonElement> GetRecordAsync(string requestId) => GetRecordAsync(_client, requestId);

    private static async Task<JsonElement> GetRecordAsync(HttpClient client, string requestId)
    {
        using var response = await client.GetAsync($"/v1/usage/records/{requestId}");
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The record answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task<JsonElement> GetPayloadAsync(HttpClient client, string requestId) =>
        (await GetRecordAsync(client, requestId)).GetProperty("payload");

    private async Task<long> PayloadCountAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_usageDb);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM usage_payloads");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(_usageDb);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("now", s_now);
        await command.ExecuteNonQueryAsync();
    }
}
