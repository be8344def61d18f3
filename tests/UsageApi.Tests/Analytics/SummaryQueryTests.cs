using System.Text.Json;

namespace AiPlatform.UsageApi.Tests.Analytics;

/// <summary>GET /v1/usage/summary over the known data set of <see cref="AnalyticsFixture"/>, figures computed by hand.</summary>
[Collection(AnalyticsCollection.Name)]
public sealed class SummaryQueryTests(AnalyticsFixture fixture)
{
    [Fact]
    public async Task Summary_GroupByModel_ExactFiguresAndNearestRankPercentiles()
    {
        var rows = await fixture.GetDataAsync("/v1/usage/summary?group_by=model");

        Assert.Equal(["gpt-4o-mini", "sim", "unknown-x"], rows.Select(r => r.GetProperty("group").GetString()));
        Assert.Equal(
            ["group", "requests", "errors", "cache_hits", "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd",
             "latency_ms_p50", "latency_ms_p95", "latency_ms_p99", "ttfb_ms_p50", "ttfb_ms_p95", "last_request_at"],
            rows[0].EnumerateObject().Select(p => p.Name));

        // Latencies 1…100 ms: nearest rank p50 = 50, p95 = 95, p99 = 99. TTFB only on even requests (2, 4, …, 100:
        // 50 values): p50 is the 25th = 50, p95 the 48th (⌈0.95 × 50⌉) = 96.
        AssertFigures(rows[0], requests: 100, errors: 0, cacheHits: 0, prompt: 100_000, completion: 50_000, total: 150_000, cost: "0.045",
            latency: (50, 95, 99), ttfb: (50, 96));
        AssertFigures(rows[1], requests: 10, errors: 5, cacheHits: 2, prompt: 100, completion: 200, total: 300, cost: "0",
            latency: (1000, 1000, 1000), ttfb: null);
        AssertFigures(rows[2], requests: 5, errors: 5, cacheHits: 0, prompt: 0, completion: 0, total: 0, cost: "0",
            latency: (7, 7, 7), ttfb: null);
    }

    [Fact]
    public async Task Summary_NoGroupBy_GroupsByModel()
    {
        var rows = await fixture.GetDataAsync("/v1/usage/summary");

        Assert.Equal(["gpt-4o-mini", "sim", "unknown-x"], rows.Select(r => r.GetProperty("group").GetString()));
    }

    [Fact]
    public async Task Summary_GroupByKey_KeylessRecordsInNullGroup()
    {
        var rows = await fixture.GetDataAsync("/v1/usage/summary?group_by=key");

        Assert.Equal(["key-a", "key-b", null], rows.Select(r => r.GetProperty("group").GetString()));
        Assert.Equal([100L, 10L, 5L], rows.Select(r => r.GetProperty("requests").GetInt64()));
        Assert.Equal("0.045", rows[0].GetProperty("cost_usd").GetRawText());
    }

    [Fact]
    public async Task Summary_GroupByNone_OneNullGroupOfAllRecords()
    {
        var rows = await fixture.GetDataAsync("/v1/usage/summary?group_by=none");

        var row = Assert.Single(rows);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("group").ValueKind);
        // Latencies 1…6, 7 × 6 (a-007 and c-*), 8…100, 1000 × 10: nearest rank p50 is the 58th (53), p95 the 110th and
        // p99 the 114th (both 1000). TTFB as for the model gpt-4o-mini alone.
        AssertFigures(row, requests: 115, errors: 10, cacheHits: 2, prompt: 100_100, completion: 50_200, total: 150_300, cost: "0.045",
            latency: (53, 1000, 1000), ttfb: (50, 96));
        Assert.Equal(AnalyticsFixture.T0.AddHours(5), row.GetProperty("last_request_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Summary_GroupByNoneNoRecords_EmptyList()
    {
        Assert.Empty(await fixture.GetDataAsync("/v1/usage/summary?group_by=none&key=nobody"));
    }

    [Theory]
    [InlineData("group_by=key")]
    [InlineData("group_by=key&from=2000-01-01T00:00:00Z&to=2099-01-01T00:00:00Z")]
    public async Task Summary_GroupByKey_LastRequestAtIsTheGroupsNewestRecord(string query)
    {
        var rows = await fixture.GetDataAsync($"/v1/usage/summary?{query}");

        Assert.Equal(
            [AnalyticsFixture.T0.AddMinutes(100), AnalyticsFixture.T0.AddHours(5), new DateTimeOffset(2026, 3, 9, 23, 4, 0, TimeSpan.Zero)],
            rows.Select(r => r.GetProperty("last_request_at").GetDateTimeOffset()));
    }

    [Fact]
    public async Task Summary_GroupByKeyWithinRange_LastRequestAtWithinRangeOnly()
    {
        var rows = await fixture.GetDataAsync("/v1/usage/summary?group_by=key&key=key-a&from=2026-03-01T00:00:00Z&to=2026-03-10T00:30:00Z");

        var row = Assert.Single(rows);
        Assert.Equal(AnalyticsFixture.T0.AddMinutes(29), row.GetProperty("last_request_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Summary_GroupByDay_UtcDaysInTimeOrder()
    {
        var rows = await fixture.GetDataAsync("/v1/usage/summary?group_by=day&from=2026-03-08T00:00:00Z&to=2026-03-11T00:00:00Z");

        Assert.Equal(["2026-03-08T00:00:00+00:00", "2026-03-09T00:00:00+00:00", "2026-03-10T00:00:00+00:00"], rows.Select(r => r.GetProperty("group").GetString()));
        Assert.Equal([1L, 5L, 110L], rows.Select(r => r.GetProperty("requests").GetInt64()));
        Assert.Equal([0L, 5L, 5L], rows.Select(r => r.GetProperty("errors").GetInt64()));
    }

    [Fact]
    public async Task Summary_GroupByHour_PercentilesPerHour()
    {
        var rows = await fixture.GetDataAsync("/v1/usage/summary?group_by=hour");

        Assert.Equal(
            ["2026-03-09T23:00:00+00:00", "2026-03-10T00:00:00+00:00", "2026-03-10T01:00:00+00:00", "2026-03-10T05:00:00+00:00"],
            rows.Select(r => r.GetProperty("group").GetString()));
        Assert.Equal([5L, 59L, 41L, 10L], rows.Select(r => r.GetProperty("requests").GetInt64()));
        // Hour 00: latencies 1…59. p50: ⌈0.5 × 59⌉ = 30th value; p95: ⌈56.05⌉ = 57th; p99: ⌈58.41⌉ = 59th.
        // TTFB 2, 4, …, 58 (29 values): p50 the 15th = 30, p95 the 28th (⌈27.55⌉) = 56.
        AssertFigures(rows[1], requests: 59, errors: 0, cacheHits: 0, prompt: 59_000, completion: 29_500, total: 88_500, cost: "0.02655",
            latency: (30, 57, 59), ttfb: (30, 56));
        // Hour 01: latencies 60…100 (41 values): 21st = 80, ⌈38.95⌉ = 39th = 98, ⌈40.59⌉ = 41st = 100.
        Assert.Equal([80, 98, 100], new[] { "latency_ms_p50", "latency_ms_p95", "latency_ms_p99" }.Select(p => rows[2].GetProperty(p).GetInt32()));
    }

    [Theory]
    [InlineData("group_by=model&key=key-a", new[] { "gpt-4o-mini" }, new[] { 100L })]
    [InlineData("group_by=model&model=sim", new[] { "sim" }, new[] { 10L })]
    [InlineData("group_by=key&model=mini-alias", new[] { "key-a" }, new[] { 100L })]
    [InlineData("group_by=model&status=4xx", new[] { "unknown-x", "sim" }, new[] { 5L, 3L })]
    [InlineData("group_by=key&from=2000-01-01T00:00:00Z&to=2099-01-01T00:00:00Z", new[] { "key-a", "key-b", null }, new[] { 102L, 10L, 5L })]
    [InlineData("group_by=model&key=nobody", new string[0], new long[0])]
    [InlineData("group_by=model&metadata.team=search", new[] { "sim" }, new[] { 10L })]
    [InlineData("group_by=key&stream=true", new[] { "key-a" }, new[] { 50L })]
    [InlineData("group_by=model&target=provider-b&trace_id=4bf92f3577b34da6a3ce929d0e0e4700", new[] { "sim" }, new[] { 1L })]
    [InlineData("group_by=model&path=/v1/images/generations", new[] { "unknown-x" }, new[] { 5L })]
    [InlineData("group_by=key&path=/v1/chat/completions", new[] { "key-a", "key-b" }, new[] { 100L, 10L })]
    public async Task Summary_Filters_OnlyMatchingRecordsCounted(string query, string?[] groups, long[] requests)
    {
        var rows = await fixture.GetDataAsync($"/v1/usage/summary?{query}");

        Assert.Equal(groups, rows.Select(r => r.GetProperty("group").GetString()));
        Assert.Equal(requests, rows.Select(r => r.GetProperty("requests").GetInt64()));
    }

    [Theory]
    [InlineData("group_by=week", "group_by")]
    [InlineData("group_by=Model", "group_by")]
    [InlineData("from=2026-13-01T00:00:00Z", "from")]
    [InlineData("model=a&model=b", "model")]
    [InlineData("status=abc", "status")]
    [InlineData("trace_id=xyz", "trace_id")]
    [InlineData("path=", "path")]
    [InlineData("metadata.a b=1", "metadata.a b")]
    public async Task Summary_BadParameter_Returns400NamingIt(string query, string param)
    {
        await fixture.AssertBadParameterAsync($"/v1/usage/summary?{query}", param);
    }

    internal static void AssertFigures(JsonElement row, long requests, long errors, long cacheHits, long prompt, long completion, long total,
        string cost, (int P50, int P95, int P99)? latency, (int P50, int P95)? ttfb)
    {
        Assert.Equal(requests, row.GetProperty("requests").GetInt64());
        Assert.Equal(errors, row.GetProperty("errors").GetInt64());
        Assert.Equal(cacheHits, row.GetProperty("cache_hits").GetInt64());
        Assert.Equal(prompt, row.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(completion, row.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(total, row.GetProperty("total_tokens").GetInt64());
        Assert.Equal(cost, row.GetProperty("cost_usd").GetRawText());
        AssertPercentile(row, "latency_ms_p50", latency?.P50);
        AssertPercentile(row, "latency_ms_p95", latency?.P95);
        AssertPercentile(row, "latency_ms_p99", latency?.P99);
        AssertPercentile(row, "ttfb_ms_p50", ttfb?.P50);
        AssertPercentile(row, "ttfb_ms_p95", ttfb?.P95);
    }

    private static void AssertPercentile(JsonElement row, string name, int? expected)
    {
        var value = row.GetProperty(name);
        if (expected is null)
        {
            Assert.Equal(JsonValueKind.Null, value.ValueKind);
        }
        else
        {
            Assert.Equal(expected, value.GetInt32());
        }
    }
}
