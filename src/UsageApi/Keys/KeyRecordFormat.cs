using System.Text.Json;
using AiPlatform.UsageApi.Budgets;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// The contract between UsageApi (the only writer) and Gateways (readers) for virtual keys in Redis. Gateways never
/// read Postgres: they authenticate a request with the record named after the SHA-256 of the key it presents.
/// </summary>
/// <remarks>
/// <para><b>Key:</b> <c>aig:key:{hex}</c> (<see cref="RedisKeyPrefix"/>), where <c>{hex}</c> is the lowercase hex
/// SHA-256 of the key's UTF-8 bytes (64 characters, see <see cref="ApiKeyHash"/>). A Redis string holding UTF-8 JSON,
/// snake_case, every field always present:</para>
/// <code>
/// {
///   "id": "0199c1d2-…",          // string, the key's id in the admin API (a UUID)
///   "name": "my app",             // string
///   "rpm": 60,                    // integer ≥ 1, or null: no request limit
///   "tpm": 100000,                // integer ≥ 1, or null: no token limit
///   "budget_usd": 25.5,           // number ≥ 0, or null: no budget
///   "budget_period": "monthly",   // "daily", "monthly" (UTC calendar periods), or null: budget_usd covers the key's life
///   "models": ["gpt-4o-mini"],    // array of strings; empty: every model allowed
///   "expires_at": "2030-01-31T12:00:00+00:00",  // ISO 8601 with offset, or null: never expires
///   "cache_namespace": "team-a",  // string, or null: the key's answers are cached for itself only
///   "log_payloads": false,        // true: send the request body and the answer's text with the usage event ("payload")
///   "revoked": false              // true: a tombstone, the key must be refused
/// }
/// </code>
/// <para><b>Lifetime:</b> records of live keys have no TTL. A revoked key keeps its record with <c>"revoked": true</c>
/// as a tombstone, which expires <see cref="KeysOptions.RevokedRecordTtl"/> (7 days) after it was written; after that
/// the key is simply unknown, which Gateways refuse just the same. Expiry by <c>expires_at</c> is the reader's check.</para>
/// <para><b>Invalidation:</b> after each write UsageApi publishes the hex hash on <see cref="InvalidationChannel"/>
/// (<c>aig:keys:invalidate</c>); Gateways drop their in-memory copy and read the record again. Writes happen on create,
/// change and revoke, for every key at UsageApi's start and whenever its Redis connection comes back (a flushed or
/// restarted Redis is repaired), and when a Gateway asks <c>GET /v1/keys/lookup/{hex}</c> after a miss, which answers
/// 200 with exactly this JSON, or 404 when no key has that hash.</para>
/// <para>The spend counter a key's budget is checked against is described by <see cref="SpendFormat"/>.</para>
/// <para>UsageApi also keeps <c>aig:keyver:{hex}</c> (<see cref="VersionKeyPrefix"/>), the record's version, so that
/// an older state can never overwrite a newer one; Gateways ignore it.</para>
/// </remarks>
public static class KeyRecordFormat
{
    /// <summary>Prefix of a key record's Redis key: <c>aig:key:{lowercase hex sha256}</c>.</summary>
    public const string RedisKeyPrefix = "aig:key:";

    /// <summary>Pub/sub channel on which the hex hash of every written record is published.</summary>
    public const string InvalidationChannel = "aig:keys:invalidate";

    /// <summary>Prefix of the version side key, UsageApi's alone (does not match <c>aig:key:*</c>).</summary>
    public const string VersionKeyPrefix = "aig:keyver:";

    /// <summary>How the record is written: snake_case names, nulls written, no indentation.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static string RedisKey(string hashHex) => RedisKeyPrefix + hashHex;

    public static string VersionKey(string hashHex) => VersionKeyPrefix + hashHex;
}

/// <summary>A key's record in Redis (see <see cref="KeyRecordFormat"/>), the only view of a key Gateways get.</summary>
public sealed record KeyRecord(
    Guid Id,
    string Name,
    int? Rpm,
    int? Tpm,
    decimal? BudgetUsd,
    BudgetPeriod? BudgetPeriod,
    IReadOnlyList<string> Models,
    DateTimeOffset? ExpiresAt,
    string? CacheNamespace,
    bool LogPayloads,
    bool Revoked)
{
    public static KeyRecord From(ApiKey key)
    {
        var settings = key.Settings;
        return new(key.Id, settings.Name, settings.Rpm, settings.Tpm, Money.Trim(settings.BudgetUsd), settings.BudgetPeriod,
            settings.Models, settings.ExpiresAt, settings.CacheNamespace, settings.LogPayloads, key.RevokedAt is not null);
    }

    public string ToJson() => JsonSerializer.Serialize(this, KeyRecordFormat.SerializerOptions);
}
