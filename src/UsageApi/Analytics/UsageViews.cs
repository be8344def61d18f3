using System.Text.Json;
using System.Text.Json.Serialization;
using AiPlatform.ServiceDefaults.Usage;

namespace AiPlatform.UsageApi.Analytics;

/// <summary>
/// One ledger record as <c>GET /v1/usage/records</c> shows it (snake_case JSON). <see cref="Path"/>,
/// <see cref="RequestBytes"/> and <see cref="ResponseBytes"/> are null for records from Gateways that did not send them;
/// the byte counts are known for pass-through requests only.
/// </summary>
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
    string? TraceId,
    string? Path,
    long? RequestBytes,
    long? ResponseBytes);

/// <summary>One record as <c>GET /v1/usage/records/{request_id}</c> shows it: the record, then its payload, null when none was kept.</summary>
public sealed record UsageRecordDetail : UsageRecordView
{
    public UsageRecordDetail(UsageRecordView record, UsagePayload? payload)
        : base(record)
    {
        Payload = payload;
    }

    [JsonPropertyOrder(1)]
    public UsagePayload? Payload { get; }
}


/// <summary>A page of records, newest first; <see cref="NextCursor"/> fetches the next one, null on the last.</summary>
public sealed record UsageRecordPage(IReadOnlyList<UsageRecordView> Data, string? NextCursor)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

/// <summary>A list in OpenAI's shape: <c>{"object": "list", "data": [...]}</c>.</summary>
public sealed record UsageList<T>(IReadOnlyList<T> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}
