namespace AiPlatform.UsageApi.Analytics;

/// <summary>
/// Which records an analytics query covers: <c>[From, To)</c>, and optionally one key, one model (served or
/// requested), a status range <c>[StatusFrom, StatusTo)</c> (one code, or a class such as 4xx) and cached or not.
/// </summary>
public sealed record UsageFilter(
    DateTimeOffset From,
    DateTimeOffset To,
    string? KeyId = null,
    string? Model = null,
    int? StatusFrom = null,
    int? StatusTo = null,
    bool? Cached = null);

/// <summary>How <c>GET /v1/usage/summary</c> groups records (<c>group_by</c>).</summary>
public enum UsageGrouping
{
    /// <summary>By the model that priced the record: the served model, else the requested one.</summary>
    Model,
    Key,
    Day,
    Hour,
}

/// <summary>The width of a time bucket (<c>bucket</c> of the time series; <c>day</c>/<c>hour</c> groups of the summary), in UTC.</summary>
public enum UsageBucket
{
    Minute,
    Hour,
    Day,
}

internal static class UsageBuckets
{
    public static TimeSpan Width(UsageBucket bucket) => bucket switch
    {
        UsageBucket.Minute => TimeSpan.FromMinutes(1),
        UsageBucket.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>The longest range a time series may cover with <paramref name="bucket"/>: 1,440 minutes, 92 days of hours, 10 years of days.</summary>
    public static TimeSpan MaxRange(UsageBucket bucket) => bucket switch
    {
        UsageBucket.Minute => TimeSpan.FromDays(1),
        UsageBucket.Hour => TimeSpan.FromDays(92),
        _ => TimeSpan.FromDays(3660),
    };
}
