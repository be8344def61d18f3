namespace AiPlatform.UsageApi.Tests.Analytics;

/// <summary>GET /v1/usage/timeseries over the known data set of <see cref="AnalyticsFixture"/>.</summary>
[Collection(AnalyticsCollection.Name)]
public sealed class TimeseriesQueryTests(AnalyticsFixture fixture)
{
    [Fact]
    public async Task Timeseries_HourBuckets_InTimeOrderEmptyBucketsZero()
    {
        var points = await fixture.GetDataAsync("/v1/usage/timeseries?bucket=hour&from=2026-03-10T00:00:00Z&to=2026-03-10T06:00:00Z");

        Assert.Equal(Enumerable.Range(0, 6).Select(h => AnalyticsFixture.T0.AddHours(h)), points.Select(p => p.GetProperty("bucket").GetDateTimeOffset()));
        Assert.Equal("bucket", points[0].EnumerateObject().First().Name);
        Assert.Equal([59L, 41L, 0L, 0L, 0L, 10L], points.Select(p => p.GetProperty("requests").GetInt64()));
        SummaryQueryTests.AssertFigures(points[0], requests: 59, errors: 0, cacheHits: 0, prompt: 59_000, completion: 29_500, total: 88_500,
            cost: "0.02655", latency: (30, 57, 59), ttfb: (30, 56));
        SummaryQueryTests.AssertFigures(points[2], requests: 0, errors: 0, cacheHits: 0, prompt: 0, completion: 0, total: 0, cost: "0",
            latency: null, ttfb: null);
        SummaryQueryTests.AssertFigures(points[5], requests: 10, errors: 5, cacheHits: 2, prompt: 100, completion: 200, total: 300, cost: "0",
            latency: (1000, 1000, 1000), ttfb: null);
    }

    [Fact]
    public async Task Timeseries_Defaults_HourlyOverLast24Hours()
    {
        var points = await fixture.GetDataAsync("/v1/usage/timeseries");

        Assert.Equal(24, points.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero), points[0].GetProperty("bucket").GetDateTimeOffset());
        Assert.Equal(115L, points.Sum(p => p.GetProperty("requests").GetInt64()));
    }

    [Fact]
    public async Task Timeseries_MinuteBuckets_OneRecordPerMinute()
    {
        var points = await fixture.GetDataAsync("/v1/usage/timeseries?bucket=minute&from=2026-03-10T00:00:00Z&to=2026-03-10T00:10:00Z");

        Assert.Equal(10, points.Count);
        Assert.Equal([0L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L], points.Select(p => p.GetProperty("requests").GetInt64()));
        Assert.Equal(Enumerable.Range(1, 9), points.Skip(1).Select(p => p.GetProperty("latency_ms_p99").GetInt32()));
    }

    [Fact]
    public async Task Timeseries_DayBuckets_UtcDays()
    {
        var points = await fixture.GetDataAsync("/v1/usage/timeseries?bucket=day&from=2026-03-08T00:00:00Z&to=2026-03-11T00:00:00Z");

        Assert.Equal([1L, 5L, 110L], points.Select(p => p.GetProperty("requests").GetInt64()));
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero), points[0].GetProperty("bucket").GetDateTimeOffset());
    }

    [Fact]
    public async Task Timeseries_UnalignedFrom_FirstBucketStartsAtItsHourAndCountsFromFrom()
    {
        var points = await fixture.GetDataAsync("/v1/usage/timeseries?bucket=hour&from=2026-03-10T00:30:00Z&to=2026-03-10T02:00:00Z");

        Assert.Equal([AnalyticsFixture.T0, AnalyticsFixture.T0.AddHours(1)], points.Select(p => p.GetProperty("bucket").GetDateTimeOffset()));
        Assert.Equal([30L, 41L], points.Select(p => p.GetProperty("requests").GetInt64()));
    }

    [Theory]
    [InlineData("model=sim", new[] { 0L, 0L, 0L, 0L, 0L, 10L })]
    [InlineData("model=mini-alias", new[] { 59L, 41L, 0L, 0L, 0L, 0L })]
    [InlineData("key=key-b&status=5xx", new[] { 0L, 0L, 0L, 0L, 0L, 2L })]
    [InlineData("key=key-a&cached=true", new[] { 0L, 0L, 0L, 0L, 0L, 0L })]
    [InlineData("stream=true", new[] { 29L, 21L, 0L, 0L, 0L, 0L })]
    [InlineData("target=provider-b&status=2xx", new[] { 0L, 0L, 0L, 0L, 0L, 5L })]
    [InlineData("path=/v1/chat/completions", new[] { 59L, 41L, 0L, 0L, 0L, 10L })]
    [InlineData("metadata.team=search&metadata.tier=free", new[] { 0L, 0L, 0L, 0L, 0L, 5L })]
    public async Task Timeseries_Filters_OnlyMatchingRecordsCounted(string query, long[] requests)
    {
        var points = await fixture.GetDataAsync($"/v1/usage/timeseries?bucket=hour&from=2026-03-10T00:00:00Z&to=2026-03-10T06:00:00Z&{query}");

        Assert.Equal(requests, points.Select(p => p.GetProperty("requests").GetInt64()));
    }

    [Theory]
    [InlineData("bucket=week", "bucket")]
    [InlineData("bucket=minute&from=2026-03-08T00:00:00Z&to=2026-03-09T00:00:01Z", "from")]
    [InlineData("bucket=hour&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("bucket=day&from=2000-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", "from")]
    [InlineData("bucket=hour&key=", "key")]
    [InlineData("bucket=hour&stream=no", "stream")]
    [InlineData("bucket=hour&path=a&path=b", "path")]
    [InlineData("bucket=hour&metadata.x%3Dy=1", "metadata.x=y")]
    public async Task Timeseries_BadParameter_Returns400NamingIt(string query, string param)
    {
        await fixture.AssertBadParameterAsync($"/v1/usage/timeseries?{query}", param);
    }

    [Fact]
    public async Task Timeseries_MinuteBucketsOverFullDay_Allowed()
    {
        var points = await fixture.GetDataAsync("/v1/usage/timeseries?bucket=minute");

        Assert.Equal(1440, points.Count);
        Assert.Equal(115L, points.Sum(p => p.GetProperty("requests").GetInt64()));
    }
}
