using System.Text.Json;
using AiPlatform.UsageApi.Budgets;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// What an administrator sets on a key: everything but its identity, secret and lifecycle. <c>Models</c> empty means
/// every model; <c>BudgetPeriod</c> null means the budget covers the key's whole life; <c>Metadata</c> is a JSON object
/// free for the administrator's use; keys with the same <c>CacheNamespace</c> share cached answers, and null keeps them
/// to the key itself. <c>LogPayloads</c> has Gateways send each request's body and answer with its usage event, and the
/// ledger keep them (<c>usage_payloads</c>); off unless an administrator turns it on.
/// </summary>
public sealed record ApiKeySettings(
    string Name,
    int? Rpm,
    int? Tpm,
    decimal? BudgetUsd,
    BudgetPeriod? BudgetPeriod,
    IReadOnlyList<string> Models,
    DateTimeOffset? ExpiresAt,
    JsonElement Metadata,
    string? CacheNamespace,
    bool LogPayloads)
{
    private static readonly JsonElement s_emptyObject = JsonElement.Parse("{}");

    public static JsonElement EmptyMetadata => s_emptyObject;

    /// <summary>A new key's settings before the request's fields are applied.</summary>
    public static ApiKeySettings Defaults(string name) => new(name, null, null, null, null, [], null, s_emptyObject, null, false);
}

/// <summary>
/// One row of <c>api_keys</c>: a key as Postgres, the source of truth, holds it. <c>KeyHash</c> is the SHA-256 of the
/// plain key (<see cref="ApiKeyHash"/>), which is never stored; <c>Version</c> is incremented on each change and orders
/// the key's Redis writes.
/// </summary>
public sealed record ApiKey(
    Guid Id,
    byte[] KeyHash,
    string KeyPrefix,
    ApiKeySettings Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? RevokedAt,
    long Version)
{
    public string KeyHashHex => ApiKeyHash.ToHex(KeyHash);
}
