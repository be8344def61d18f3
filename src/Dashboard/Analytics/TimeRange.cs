using AiPlatform.Dashboard.Display;

namespace AiPlatform.Dashboard.Analytics;

/// <summary>The ranges the analytics pages offer; <see cref="Custom"/> takes chosen days.</summary>
public enum RangePreset
{
    LastHour,
    Last24Hours,
    Last7Days,
    Last30Days,
    Custom,
}

/// <summary>
/// A time range for the analytics views and the width of the chart buckets that suits it: tens to a few hundred
/// points, so a chart is neither a single bar nor a smear, and within what UsageApi allows per bucket width.
/// </summary>
public sealed record TimeRange(DateTimeOffset From, DateTimeOffset To, string Bucket)
{
    public static readonly TimeSpan MaxCustomRange = TimeSpan.FromDays(366);

    public UsageQuery ToQuery() => new(From, To);

    public static string Label(RangePreset preset) => preset switch
    {
        RangePreset.LastHour => "Last hour",
        RangePreset.Last24Hours => "Last 24 hours",
        RangePreset.Last7Days => "Last 7 days",
        RangePreset.Last30Days => "Last 30 days",
        _ => "Custom days",
    };

    /// <summary>A range chosen by hand, with the bucket its span suits; null (with the reason) when it cannot be asked for.</summary>
    public static TimeRange? Custom(DateTimeOffset from, DateTimeOffset to, out string? problem)
    {
        problem = to <= from ? "The range's end must be after its start."
            : to - from > MaxCustomRange ? $"A range may span at most {MaxCustomRange.TotalDays:0} days."
            : null;
        if (problem is not null)
        {
            return null;
        }

        var span = to - from;
        return new(from, to, span <= TimeSpan.FromHours(6) ? "minute" : span <= TimeSpan.FromDays(14) ? "hour" : "day");
    }
}

/// <summary>What a person picked: a preset, or whole days in their own time zone (the last one included).</summary>
public sealed record RangeChoice(RangePreset Preset, DateTime? FromDay = null, DateTime? ToDay = null)
{
    public static readonly RangeChoice Default = new(RangePreset.Last24Hours);

    /// <summary>The range as of <paramref name="now"/>; for custom days, from the first day's midnight to the midnight after the last, in <paramref name="zone"/>.</summary>
    public TimeRange? Resolve(DateTimeOffset now, TimeZoneInfo zone, out string? problem)
    {
        problem = null;
        switch (Preset)
        {
            case RangePreset.LastHour:
                return new(now.AddHours(-1), now, "minute");
            case RangePreset.Last24Hours:
                return new(now.AddHours(-24), now, "hour");
            case RangePreset.Last7Days:
                return new(now.AddDays(-7), now, "hour");
            case RangePreset.Last30Days:
                return new(now.AddDays(-30), now, "day");
        }

        if (FromDay is not { } fromDay || ToDay is not { } toDay)
        {
            problem = "Pick the first and the last day.";
            return null;
        }

        return TimeRange.Custom(Days.StartOf(fromDay, zone), Days.StartOf(toDay.AddDays(1), zone), out problem);
    }

}
