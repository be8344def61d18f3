using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiPlatform.UsageApi.Analytics;

/// <summary>One ledger record as <c>GET /v1/usage/records</c> shows it (snake_case JSON).</summary>
public record UsageRecordView(
    string RequestId,
    DateTimeOffset Timestamp,
    string? KeyId,
    string? KeyName,
    string? RequestedModel,
    string? ServedModel,
    string? Target,
    int StatusCode,
    string? ErrorCode,
    bool Stream,
    bool Cached,
    int PromptTokens,
    int CompletionTokens,
    int TotalTokens,
    int LatencyMs,
    int? TtfbMs,
    int Retries,
    string? ClientIp,
    JsonElement? Metadata,
    decimal CostUsd,
    bool PriceMissing,
    DateTimeOffset IngestedAt,
    string? TraceId);

/// <summary>One record as <c>GET /v1/usage/records/{request_id}</c> shows it: the record, then its payload, null when none was kept.</summary>
public sealed record UsageRecordDetail : UsageRecordView
{
    public UsageRecordDetail(UsageRecordView record, UsagePayloadView? payload)
        : base(record)
    {
        Payload = payload;
    }

    [JsonPropertyOrder(1)]
    public UsagePayloadView? Payload { get; }
}

/// <summary>The texts kept of a request of a key with <c>log_payloads</c>; <see cref="Truncated"/>: some of it was cut.</summary>
public sealed record UsagePayloadView(string Request, string? Response, bool Truncated);

/// <summary>A page of records, newest first; <see cref="NextCursor"/> fetches the next one, null on the last.</summary>
public sealed record UsageRecordPage(IReadOnlyList<UsageRecordView> Data, string? NextCursor)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

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

/// <summary>A list in OpenAI's shape: <c>{"object": "list", "data": [...]}</c>.</summary>
public sealed record UsageList<T>(IReadOnlyList<T> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}
