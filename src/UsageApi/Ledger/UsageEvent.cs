using AiPlatform.ServiceDefaults.Usage;

namespace AiPlatform.UsageApi.Ledger;

/// <summary>
/// One request's entry as the Gateway reports it in <c>POST /v1/usage/events</c>, validated. The ledger adds the cost
/// (from <c>model_prices</c>) and the ingestion time. <see cref="Timestamp"/> is in UTC; <see cref="MetadataJson"/> is
/// the caller's <c>aig-metadata</c> object as raw JSON text; <see cref="TraceId"/> the W3C trace id of the request's
/// trace (<see cref="TraceIds"/>); <see cref="Payload"/> what was asked and answered, for keys with <c>log_payloads</c>.
/// <see cref="Path"/> is the request's path without its query (<c>/v1/images/generations</c>); <see cref="RequestBytes"/>
/// and <see cref="ResponseBytes"/> the body bytes forwarded and relayed, known for pass-through requests only.
/// </summary>
public sealed record UsageEvent(
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
    string? MetadataJson,
    string? TraceId,
    UsagePayload? Payload,
    string? Path,
    long? RequestBytes,
    long? ResponseBytes);

/// <summary>The answer to a batch: how many events became records, and how many the ledger already held.</summary>
public sealed record IngestResult(int Accepted, int Duplicates);

/// <summary>The limits of <c>POST /v1/usage/events</c>, which Gateways respect so that their batches are never refused.</summary>
public static class UsageEventLimits
{
    /// <summary>Events per batch; a larger batch is answered 413 and must be split.</summary>
    public const int MaxEventsPerBatch = 10_000;

    /// <summary>
    /// Request body size (64 MiB): 10,000 events with large metadata; beyond it the answer is 413. Payloads count: a
    /// Gateway sending them splits its batches by size as well as by count.
    /// </summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    /// <summary><c>request_id</c>: 1 to 128 characters.</summary>
    public const int MaxRequestIdLength = 128;

    /// <summary>Every other string field (key id and name, models, target, error code, client IP, path), payload texts excepted.</summary>
    public const int MaxTextLength = 512;

    /// <summary><c>metadata</c>: a JSON object of at most 16 KiB (UTF-8, as sent).</summary>
    public const int MaxMetadataBytes = 16 * 1024;

    /// <summary><c>timestamp</c> must fall in [2000-01-01, 2100-01-01) UTC: each month with records gets a partition.</summary>
    public static readonly DateTimeOffset MinTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset MaxTimestamp = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
