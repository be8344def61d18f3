using System.Text.Json.Serialization;

namespace AiPlatform.ServiceDefaults.Usage;

// The figures of UsageApi's analytics endpoints (/v1/usage/summary and /timeseries, snake_case JSON): UsageApi writes
// them and the Dashboard reads them, so both use these types.

/// <summary>
/// The figures of a set of records. Percentiles are <c>percentile_disc</c> (nearest rank): an observed value, the
/// smallest with at least that share of the records at or below it; null when no record has the value (no records, or
/// no <c>ttfb_ms</c>).
/// </summary>
public abstract record UsageFigures
{
    public long Requests { get; init; }

    /// <summary>Records with <c>status_code</c> ≥ 400.</summary>
    public long Errors { get; init; }

    public long CacheHits { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long TotalTokens { get; init; }
    public decimal CostUsd { get; init; }
    public int? LatencyMsP50 { get; init; }
    public int? LatencyMsP95 { get; init; }
    public int? LatencyMsP99 { get; init; }
    public int? TtfbMsP50 { get; init; }
    public int? TtfbMsP95 { get; init; }
}

/// <summary>One group of <c>GET /v1/usage/summary</c>: a model, a key id, or the start of a UTC day or hour (ISO 8601).</summary>
public sealed record UsageSummaryRow : UsageFigures
{
    [JsonPropertyOrder(-1)]
    public string? Group { get; init; }

    /// <summary>The time of the group's newest record (the Dashboard's "last used" of a key).</summary>
    [JsonPropertyOrder(1)]
    public DateTimeOffset LastRequestAt { get; init; }
}

/// <summary>One bucket of <c>GET /v1/usage/timeseries</c>, named by its start.</summary>
public sealed record UsageTimeseriesPoint : UsageFigures
{
    [JsonPropertyOrder(-1)]
    public DateTimeOffset Bucket { get; init; }
}
