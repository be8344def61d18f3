using AiPlatform.Dashboard.Display;
using MudBlazor;

namespace AiPlatform.Dashboard.Analytics;

/// <summary>The Overview's charts from one time series: series per chart and the axis labels they share.</summary>
public sealed record OverviewCharts(
    string[] Labels,
    List<ChartSeries<double>> Traffic,
    List<ChartSeries<double>> Tokens,
    List<ChartSeries<double>> Cost,
    List<ChartSeries<double>> Latency)
{
    /// <summary>At most this many labels on an axis; the others are left blank so they do not overlap.</summary>
    public const int MaxLabels = 12;

    public static OverviewCharts Of(IReadOnlyList<UsageTimeseriesPoint> series, string bucket, TimeZoneInfo zone)
    {
        var step = Math.Max(1, (int)Math.Ceiling(series.Count / (double)MaxLabels));
        var labels = new string[series.Count];
        for (var i = 0; i < series.Count; i++)
        {
            labels[i] = i % step == 0 ? Format.BucketLabel(series[i].Bucket, bucket, zone) : "";
        }

        return new OverviewCharts(
            labels,
            [Line("Requests", series, p => p.Requests), Line("Errors", series, p => p.Errors)],
            [Line("Tokens in", series, p => p.PromptTokens), Line("Tokens out", series, p => p.CompletionTokens)],
            [Line("Cost (USD)", series, p => (double)p.CostUsd)],
            [Line("p50 ms", series, p => p.LatencyMsP50 ?? 0), Line("p95 ms", series, p => p.LatencyMsP95 ?? 0), Line("p99 ms", series, p => p.LatencyMsP99 ?? 0)]);
    }

    private static ChartSeries<double> Line(string name, IReadOnlyList<UsageTimeseriesPoint> series, Func<UsageTimeseriesPoint, double> value) =>
        new() { Name = name, Data = new ChartData<double>([.. series.Select(value)]) };
}
