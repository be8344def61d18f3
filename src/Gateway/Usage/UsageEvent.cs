using System.Text.Json;
using System.Text.Json.Serialization;
using AiPlatform.ServiceDefaults.Usage;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// One request's entry for the ledger, as UsageApi's <c>POST /v1/usage/events</c> takes it (snake_case). UsageApi
/// computes the cost from its price table; <see cref="RequestId"/> makes delivery idempotent, so a batch may be sent
/// more than once (a replay after an outage) without counting twice. <see cref="TraceId"/> links the record to the
/// request's trace; <see cref="Payload"/> is there only for keys with <c>log_payloads</c>, and absent from the JSON otherwise.
/// </summary>
public sealed record UsageEvent
{
    public required string RequestId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string? KeyId { get; init; }
    public string? KeyName { get; init; }
    public string? RequestedModel { get; init; }
    public string? ServedModel { get; init; }
    public string? Target { get; init; }
    public required int StatusCode { get; init; }
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

    /// <summary>32 lowercase hex digits (W3C), or null.</summary>
    public string? TraceId { get; init; }

    /// <summary>The request's path, without its query.</summary>
    public string? Path { get; init; }

    /// <summary>Body bytes forwarded and relayed, for pass-through requests; null for the others.</summary>
    public long? RequestBytes { get; init; }

    /// <inheritdoc cref="RequestBytes"/>
    public long? ResponseBytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public UsagePayload? Payload { get; init; }
}

/// <summary>The body of <c>POST /v1/usage/events</c>.</summary>
public sealed record UsageBatch(IReadOnlyList<UsageEvent> Events);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(UsageBatch))]
internal sealed partial class UsageJsonContext : JsonSerializerContext;
