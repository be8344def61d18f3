using AiPlatform.Dashboard.Analytics;

namespace AiPlatform.Dashboard.Tests.Analytics;

/// <summary>The Overview's charts: one label per bucket at most <see cref="OverviewCharts.MaxLabels"/> of them shown, in the person's zone.</summary>
public sealed class OverviewChartsTests
{
    private static readonly TimeZoneInfo s_paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly DateTimeOffset s_start = new(2026, 3, 9, 11, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_24HourlyBuckets_EveryOtherLabelShown()
    {
        var charts = OverviewCharts.Of(Hours(24), "hour", s_paris);

        Assert.Equal(24, charts.Labels.Length);
        Assert.Equal(12, charts.Labels.Count(label => label.Length > 0));
        Assert.Equal("12:00", charts.Labels[0]);
        Assert.Equal("", charts.Labels[1]);
        Assert.Equal("14:00", charts.Labels[2]);
        // 23:00 UTC is midnight in Paris: the day is named instead of the hour.
        Assert.Equal("03-10", charts.Labels[12]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(12, 12)]
    [InlineData(13, 7)]
    [InlineData(25, 9)]
    [InlineData(61, 11)]
    [InlineData(1_440, 12)]
    public void Of_AnyNumberOfBuckets_AtMostTwelveLabels(int buckets, int shown)
    {
        var labels = OverviewCharts.Of(Hours(buckets), "hour", s_paris).Labels;

        Assert.Equal(buckets, labels.Length);
        Assert.Equal(shown, labels.Count(label => label.Length > 0));
        Assert.NotEqual("", labels[0]);
    }

    [Fact]
    public void Of_NoBuckets_NoLabelsAndEmptySeries()
    {
        var charts = OverviewCharts.Of([], "hour", s_paris);

        Assert.Empty(charts.Labels);
        Assert.All(charts.Traffic, series => Assert.Equal(0, series.Data.Count));
    }

    [Fact]
    public void Of_Figures_OneSeriesPerFigureMissingPercentilesAsZero()
    {
        var charts = OverviewCharts.Of(
            [
                new UsageTimeseriesPoint { Bucket = s_start, Requests = 10, Errors = 1, PromptTokens = 100, CompletionTokens = 50, CostUsd = 0.25m, LatencyMsP50 = 800, LatencyMsP95 = 1_200, LatencyMsP99 = 2_000 },
                new UsageTimeseriesPoint { Bucket = s_start.AddHours(1) },
            ],
            "hour",
            s_paris);

        Assert.Equal(["Requests", "Errors"], charts.Traffic.Select(series => series.Name));
        Assert.Equal([10d, 0d], Values(charts.Traffic[0]));
        Assert.Equal([1d, 0d], Values(charts.Traffic[1]));
        Assert.Equal([100d, 0d], Values(charts.Tokens[0]));
        Assert.Equal([50d, 0d], Values(charts.Tokens[1]));
        Assert.Equal([0.25d, 0d], Values(charts.Cost[0]));
        Assert.Equal(["p50 ms", "p95 ms", "p99 ms"], charts.Latency.Select(series => series.Name));
        Assert.Equal([800d, 0d], Values(charts.Latency[0]));
        Assert.Equal([2_000d, 0d], Values(charts.Latency[2]));
    }

    private static double[] Values(MudBlazor.ChartSeries<double> series) => [.. Enumerable.Range(0, series.Data.Count).Select(i => series.Data[i].Y)];

    private static UsageTimeseriesPoint[] Hours(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new UsageTimeseriesPoint { Bucket = s_start.AddHours(i), Requests = i })];
}
