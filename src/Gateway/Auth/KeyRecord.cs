using System.Text.Json.Serialization;

namespace AiPlatform.Gateway.Auth;

/// <summary>
/// A virtual key as UsageApi publishes it to Redis under <c>aig:key:{sha256 hex}</c> (snake_case JSON).
/// The Gateway only ever sees this record, never the key itself or Postgres.
/// </summary>
public sealed record KeyRecord
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("rpm")]
    public int? Rpm { get; init; }

    [JsonPropertyName("tpm")]
    public int? Tpm { get; init; }

    [JsonPropertyName("budget_usd")]
    public decimal? BudgetUsd { get; init; }

    [JsonPropertyName("models")]
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary><c>monthly</c>, <c>daily</c>, or null: the budget covers the key's whole life.</summary>
    [JsonPropertyName("budget_period")]
    public string? BudgetPeriod { get; init; }

    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [JsonPropertyName("cache_namespace")]
    public string? CacheNamespace { get; init; }

    /// <summary>The key's usage records carry what was asked and answered (<see cref="Usage.PayloadCapture"/>); off unless the key opted in.</summary>
    [JsonPropertyName("log_payloads")]
    public bool LogPayloads { get; init; }

    [JsonPropertyName("revoked")]
    public bool Revoked { get; init; }

    public bool AllowsModel(string model)
    {
        if (Models.Count == 0)
        {
            return true;
        }

        foreach (var allowed in Models)
        {
            if (string.Equals(allowed, model, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

[JsonSerializable(typeof(KeyRecord))]
internal sealed partial class KeyRecordJsonContext : JsonSerializerContext;
