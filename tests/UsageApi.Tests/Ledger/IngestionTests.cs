using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.Testing;
using AiPlatform.UsageApi.Ledger;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AiPlatform.UsageApi.Tests.Ledger;

/// <summary>POST /v1/usage/events against real Postgres: every request recorded once, whatever is replayed.</summary>
public sealed class IngestionTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private WebApplicationFactory<Program> _usageApi = null!;
    private HttpClient _client = null!;
    private string _usageDb = null!;

    public async Task InitializeAsync()
    {
        _usageDb = await postgres.CreateDatabaseAsync();
        _usageApi = UsageApiHost.Create(_usageDb, redis);
        _client = _usageApi.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _usageApi.DisposeAsync();
    }

    [Fact]
    public async Task Ingest_SameBatchTwice_OneRecordEachAndDuplicatesCounted()
    {
        var batch = TestEvents.Many("twice", 25).ToList();

        var first = await _client.IngestAsync(batch);
        var second = await _client.IngestAsync(batch);

        Assert.Equal((25, 0), first);
        Assert.Equal((0, 25), second);
        Assert.Equal(25, await CountAsync());
    }

    [Fact]
    public async Task Ingest_ReplayOverlappingNewEvents_AcceptsOnlyTheNewOnes()
    {
        var events = TestEvents.Many("overlap", 10).ToList();
        await _client.IngestAsync(events.Take(6));

        var result = await _client.IngestAsync(events.Skip(3));

        Assert.Equal((4, 3), result);
        Assert.Equal(10, await CountAsync());
    }

    [Fact]
    public async Task Ingest_SameEventTwiceInOneBatch_OneRecordOneDuplicate()
    {
        var e = new TestEvent { RequestId = "in-batch" };

        Assert.Equal((1, 1), await _client.IngestAsync(e, e));
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task Ingest_FiveThousandEvents_CopiedInOneBatchAndReplayedWithoutDoubles()
    {
        var batch = TestEvents.Many("copy", 5000, (i, e) => e with
        {
            // Spread over two months: the batch needs two partitions.
            Timestamp = new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero).AddSeconds(i),
            KeyId = $"key-{i % 7}",
            Metadata = i % 100 == 0 ? JsonElement.Parse($$"""{"n": {{i}}, "tag": "x"}""") : null,
            TtfbMs = i % 2 == 0 ? i : null,
        }).ToList();

        Assert.Equal((5000, 0), await _client.IngestAsync(batch));
        Assert.Equal((0, 5000), await _client.IngestAsync(batch));

        Assert.Equal(5000, await CountAsync());
        Assert.Equal(3600, await ScalarAsync<long>("SELECT count(*) FROM usage_records_2026_01"));
        Assert.Equal(1400, await ScalarAsync<long>("SELECT count(*) FROM usage_records_2026_02"));
        Assert.Equal(2500, await ScalarAsync<long>("SELECT count(ttfb_ms) FROM usage_records"));
        Assert.Equal("{\"n\": 4900, \"tag\": \"x\"}", await ScalarAsync<string>("SELECT metadata::text FROM usage_records WHERE request_id = 'copy-004900'"));
    }

    [Fact]
    public async Task Ingest_EveryField_StoredAndListedAsSent()
    {
        var sent = new TestEvent
        {
            RequestId = "req_full:1",
            Timestamp = new DateTimeOffset(2026, 1, 20, 8, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4560),
            KeyId = "0199c1d2-0000-7000-8000-000000000001",
            KeyName = "my app",
            RequestedModel = "fast",
            ServedModel = "gpt-4o-mini",
            Target = "openai",
            StatusCode = 200,
            Stream = true,
            PromptTokens = 1000,
            CompletionTokens = 2000,
            TotalTokens = 3000,
            LatencyMs = 1234,
            TtfbMs = 56,
            Retries = 1,
            ClientIp = "10.0.0.7",
            Metadata = JsonElement.Parse("""{"team": "search", "n": [1, 2]}"""),
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            Path = "/v1/files",
            // Beyond 2 GiB: the columns are bigint.
            RequestBytes = 3_000_000_000,
            ResponseBytes = 4_294_967_296,
        };

        await _client.IngestAsync(sent);
        var record = Assert.Single(await _client.ReadRecordsAsync());

        Assert.Equal(
            ["request_id", "timestamp", "key_id", "key_name", "requested_model", "served_model", "target", "status_code", "error_code",
             "stream", "cached", "prompt_tokens", "completion_tokens", "total_tokens", "latency_ms", "ttfb_ms", "retries", "client_ip",
             "metadata", "cost_usd", "price_missing", "ingested_at", "trace_id", "path", "request_bytes", "response_bytes"],
            record.EnumerateObject().Select(p => p.Name));
        Assert.Equal("req_full:1", record.GetProperty("request_id").GetString());
        Assert.Equal(sent.Timestamp, record.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(sent.KeyId, record.GetProperty("key_id").GetString());
        Assert.Equal("my app", record.GetProperty("key_name").GetString());
        Assert.Equal("fast", record.GetProperty("requested_model").GetString());
        Assert.Equal("gpt-4o-mini", record.GetProperty("served_model").GetString());
        Assert.Equal("openai", record.GetProperty("target").GetString());
        Assert.Equal(200, record.GetProperty("status_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("error_code").ValueKind);
        Assert.True(record.GetProperty("stream").GetBoolean());
        Assert.False(record.GetProperty("cached").GetBoolean());
        Assert.Equal(3000, record.GetProperty("total_tokens").GetInt32());
        Assert.Equal(1234, record.GetProperty("latency_ms").GetInt32());
        Assert.Equal(56, record.GetProperty("ttfb_ms").GetInt32());
        Assert.Equal(1, record.GetProperty("retries").GetInt32());
        Assert.Equal("10.0.0.7", record.GetProperty("client_ip").GetString());
        Assert.True(JsonElement.DeepEquals(sent.Metadata!.Value, record.GetProperty("metadata")));
        // 1000 × 0.15 / 1e6 + 2000 × 0.60 / 1e6
        Assert.Equal("0.00135", record.GetProperty("cost_usd").GetRawText());
        Assert.False(record.GetProperty("price_missing").GetBoolean());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", record.GetProperty("trace_id").GetString());
        Assert.Equal("/v1/files", record.GetProperty("path").GetString());
        Assert.Equal(3_000_000_000, record.GetProperty("request_bytes").GetInt64());
        Assert.Equal(4_294_967_296, record.GetProperty("response_bytes").GetInt64());
    }

    [Fact]
    public async Task Ingest_PathAndBodyBytes_ShownByTheRecordAndTheListing()
    {
        var passThrough = new TestEvent { RequestId = "pass-through", Path = "/v1/images/generations", RequestBytes = 0, ResponseBytes = 1_234_567 };
        var chat = new TestEvent { RequestId = "chat", Timestamp = TestEvent.DefaultTime.AddSeconds(1), Path = "/v1/chat/completions" };

        await _client.IngestAsync(passThrough, chat);

        using var response = await _client.GetAsync("/v1/usage/records/pass-through");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await response.ReadJsonAsync();
        Assert.Equal("/v1/images/generations", record.GetProperty("path").GetString());
        Assert.Equal(0, record.GetProperty("request_bytes").GetInt64());
        Assert.Equal(1_234_567, record.GetProperty("response_bytes").GetInt64());
        var listed = (await _client.ReadRecordsAsync()).ToDictionary(r => r.GetProperty("request_id").GetString()!);
        Assert.True(JsonElement.DeepEquals(record.GetProperty("response_bytes"), listed["pass-through"].GetProperty("response_bytes")));
        Assert.Equal("/v1/chat/completions", listed["chat"].GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, listed["chat"].GetProperty("request_bytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, listed["chat"].GetProperty("response_bytes").ValueKind);
    }

    [Fact]
    public async Task Ingest_EventOfAnOlderGateway_PathAndBodyBytesNull()
    {
        // As a Gateway from before these fields sends it: none of the three is in the event at all.
        using (var response = await _client.PostJsonAsync("/v1/usage/events",
            """{"events": [{"request_id": "older", "timestamp": "2026-01-15T12:00:00Z", "status_code": 200}]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var record = Assert.Single(await _client.ReadRecordsAsync());

        Assert.Equal(JsonValueKind.Null, record.GetProperty("path").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("request_bytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("response_bytes").ValueKind);
    }

    [Fact]
    public async Task Ingest_NegativeResponseBytes_Returns400NamingItAndStoresNothing()
    {
        var events = TestEvents.Many("bytes", 3).Select((e, i) => i == 2 ? e with { ResponseBytes = -1 } : e);

        using var response = await _client.PostJsonAsync("/v1/usage/events", TestEvents.Batch(events));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, "invalid_value");
        Assert.Equal("events[2].response_bytes", error.GetProperty("param").GetString());
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Ingest_InvalidTraceId_Returns400NamingItAndStoresNothing()
    {
        var events = TestEvents.Many("trace", 3).Select((e, i) => i == 1 ? e with { TraceId = "4BF92F3577B34DA6A3CE929D0E0E4736" } : e);

        using var response = await _client.PostJsonAsync("/v1/usage/events", TestEvents.Batch(events));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, "invalid_value");
        Assert.Equal("events[1].trace_id", error.GetProperty("param").GetString());
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Ingest_SameRequestIdAtAnotherTime_KeptAsSecondRecord()
    {
        // A record is (request_id, timestamp): a replay carries the original time; a client reusing its aig-request-id
        // for a new request is a new request (the Gateway stamps a new time) and was paid for again.
        await _client.IngestAsync(new TestEvent { RequestId = "reused" });

        var result = await _client.IngestAsync(new TestEvent { RequestId = "reused", Timestamp = TestEvent.DefaultTime.AddSeconds(5) });

        Assert.Equal((1, 0), result);
        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task Ingest_BatchAndReplay_CountedOnUsageApiMeter()
    {
        // Only this host's instruments: other test classes run their own UsageApi in parallel.
        var meterFactory = _usageApi.Services.GetRequiredService<IMeterFactory>();
        var totals = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == LedgerMetrics.MeterName && instrument.Meter.Scope == meterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (totals)
            {
                totals[instrument.Name] = totals.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();
        var batch = TestEvents.Many("metered", 12).ToList();

        await _client.IngestAsync(batch.Take(8));
        await _client.IngestAsync(batch);

        Assert.Equal(12, totals["aiplatform.usage.events.ingested"]);
        Assert.Equal(8, totals["aiplatform.usage.events.duplicates"]);
    }

    [Fact]
    public async Task Ingest_EmptyBatch_Returns200WithZeros()
    {
        Assert.Equal((0, 0), await _client.IngestAsync());
    }

    [Fact]
    public async Task Ingest_InvalidEventInBatch_Returns400NamingItAndStoresNothing()
    {
        var events = TestEvents.Many("bad", 5).Select((e, i) => i == 3 ? e with { StatusCode = 42 } : e);

        using var response = await _client.PostJsonAsync("/v1/usage/events", TestEvents.Batch(events));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, "invalid_value");
        Assert.Equal("events[3].status_code", error.GetProperty("param").GetString());
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Ingest_MoreThanTenThousandEvents_Returns413()
    {
        var json = "{\"events\": [" + string.Join(",", Enumerable.Repeat("{}", 10_001)) + "]}";

        using var response = await _client.PostJsonAsync("/v1/usage/events", json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, "batch_too_large");
        Assert.Equal("events", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Ingest_MalformedJson_Returns400InvalidJson()
    {
        using var response = await _client.PostJsonAsync("/v1/usage/events", """{"events": [{"request_id": "x",""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, "invalid_json");
    }

    [Fact]
    public async Task Ingest_MemberNameEscapingLoneSurrogate_Returns400InvalidJson()
    {
        // Found by tests/Fuzz.Tests: the duplicate-name check threw InvalidOperationException on this name (a 500).
        using var response = await _client.PostJsonAsync("/v1/usage/events", """{"events": [], "\udc00": 1}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, "invalid_json");
    }

    [Fact]
    public async Task Ingest_NoMasterKey_Returns401AndStoresNothing()
    {
        using var anonymous = _usageApi.CreateClient();

        using var response = await anonymous.PostJsonAsync("/v1/usage/events", TestEvents.Batch([new TestEvent { RequestId = "anon" }]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.Authentication, ApiErrorCodes.InvalidApiKey);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Start_Ledger_ThisAndNextMonthPartitionsCreatedAhead()
    {
        var now = DateTimeOffset.UtcNow;
        var next = now.AddMonths(1);

        await Eventually.TrueAsync(async () =>
            await ScalarAsync<bool>($"SELECT to_regclass('usage_records_{now:yyyy_MM}') IS NOT NULL AND to_regclass('usage_records_{next:yyyy_MM}') IS NOT NULL"),
            TestTimeouts.Default);
    }

    [Fact]
    public async Task Ingest_PartitionDroppedWhileKnown_RecreatedAndInserted()
    {
        await _client.IngestAsync(new TestEvent { RequestId = "before-drop" });
        await ScalarAsync<int>("DROP TABLE usage_records_2026_01; SELECT 1");

        Assert.Equal((1, 0), await _client.IngestAsync(new TestEvent { RequestId = "after-drop" }));
        Assert.Equal(1, await CountAsync());
    }

    private Task<long> CountAsync() => ScalarAsync<long>("SELECT count(*) FROM usage_records");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(_usageDb);
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
