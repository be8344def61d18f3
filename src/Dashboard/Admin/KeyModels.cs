using System.Text.Json;

namespace AiPlatform.Dashboard.Admin;

/// <summary>A virtual key as the admin API shows it; <see cref="Key"/> only in the answer to its creation.</summary>
public sealed record ApiKey
{
    public Guid Id { get; init; }
    public string? Key { get; init; }
    public required string KeyPrefix { get; init; }
    public required string Name { get; init; }
    public int? Rpm { get; init; }
    public int? Tpm { get; init; }
    public decimal? BudgetUsd { get; init; }
    public string? BudgetPeriod { get; init; }
    public IReadOnlyList<string> Models { get; init; } = [];
    public DateTimeOffset? ExpiresAt { get; init; }
    public JsonElement? Metadata { get; init; }
    public string? CacheNamespace { get; init; }
    public bool LogPayloads { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>What a key spent in its current budget period (<c>GET /v1/keys/{id}/spend</c>).</summary>
public sealed record KeySpend(Guid KeyId, decimal? BudgetUsd, string? BudgetPeriod, string Period, decimal SpentUsd, decimal? SpentUsdFast);

/// <summary>
/// The settings the Keys page edits, sent whole (create) or as a merge patch of every field (edit): a null clears a
/// limit, an empty model list allows every model.
/// </summary>
public sealed record KeySettings
{
    public required string Name { get; init; }
    public int? Rpm { get; init; }
    public int? Tpm { get; init; }
    public decimal? BudgetUsd { get; init; }
    public string? BudgetPeriod { get; init; }
    public IReadOnlyList<string> Models { get; init; } = [];
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool LogPayloads { get; init; }

    public static KeySettings Of(ApiKey key) => new()
    {
        Name = key.Name,
        Rpm = key.Rpm,
        Tpm = key.Tpm,
        BudgetUsd = key.BudgetUsd,
        BudgetPeriod = key.BudgetPeriod,
        Models = key.Models,
        ExpiresAt = key.ExpiresAt,
        LogPayloads = key.LogPayloads,
    };
}

/// <summary>A model's price per million tokens.</summary>
public sealed record ModelPrice(string Model, decimal InputPerMillionUsd, decimal OutputPerMillionUsd, DateTimeOffset? UpdatedAt = null);
