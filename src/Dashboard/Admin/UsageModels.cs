using System.Text.Json;

namespace AiPlatform.Dashboard.Admin;

/// <summary>One ledger record.</summary>
public sealed record UsageRecord
{
    public required string RequestId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public string? KeyId { get; init; }
    public string? KeyName { get; init; }
    public string? RequestedModel { get; init; }
    public string? ServedModel { get; init; }
    public string? Target { get; init; }
    public int StatusCode { get; init; }
    public string? ErrorCode { get; init; }
    public bool Stream { get; init; }
    public bool Cached { get; init; }
    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    public int TotalTokens { get; init; }
    public int LatencyMs { get; init; }
    public int? TtfbMs { get; init; }
    public int Retries { get; init; }
    public string? ClientIp { get; init; }
    public JsonElement? Metadata { get; init; }
    public decimal CostUsd { get; init; }
    public bool PriceMissing { get; init; }
    public DateTimeOffset IngestedAt { get; init; }
    public string? TraceId { get; init; }

    /// <summary>The request's path; null in records of Gateways that did not report it.</summary>
    public string? Path { get; init; }

    /// <summary>Body bytes forwarded and relayed: known for pass-through requests only.</summary>
    public long? RequestBytes { get; init; }

    public long? ResponseBytes { get; init; }

    /// <summary>Only in the answer for one record, and only for a key that logs payloads.</summary>
    public UsagePayload? Payload { get; init; }
}


/// <summary>A page of records, newest first.</summary>
public sealed record UsageRecordPage(IReadOnlyList<UsageRecord> Data, string? NextCursor);
