namespace AiPlatform.UsageApi.Analytics;

/// <summary>
/// Which records an analytics query covers: <c>[From, To)</c>, and optionally one key, one model (served or
/// requested), a status range <c>[StatusFrom, StatusTo)</c> (one code, or a class such as 4xx), cached or not, streamed
/// or not, one target, one request path, one trace id, and values of top-level metadata members, all of which must match.
/// </summary>
public sealed record UsageFilter(
    DateTimeOffset From,
    DateTimeOffset To,
    string? KeyId = null,
    string? Model = null,
    int? StatusFrom = null,
    int? StatusTo = null,
    bool? Cached = null,
    bool? Stream = null,
    string? Target = null,
    string? Path = null,
    string? TraceId = null,
    IReadOnlyList<MetadataMatch>? Metadata = null);

/// <summary>A record matches when its metadata's member <see cref="Name"/>, as text (<c>metadata ->> name</c>), is <see cref="Value"/>.</summary>
public sealed record MetadataMatch(string Name, string Value);

/// <summary>How <c>GET /v1/usage/summary</c> groups records (<c>group_by</c>).</summary>
public enum UsageGrouping
{
    /// <summary>By the model that priced the record: the served model, else the requested one.</summary>
    Model,
    Key,
    Day,
    Hour,

    /// <summary>One group of every record, named null: the totals, with percentiles over all of them (none without records).</summary>
    None,
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
