using System.Text.Json;
using AiPlatform.UsageApi.Budgets;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// A row of <c>api_keys</c> as EF Core reads and writes it (mapped by <see cref="ApiKeyEntityConfiguration"/>). The rest
/// of the service sees keys as <see cref="ApiKey"/>, immutable; this class exists for the mapping only.
/// </summary>
public sealed class ApiKeyEntity
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the plain key (<see cref="ApiKeyHash"/>).</summary>
    public byte[] KeyHash { get; set; } = [];

    public string KeyPrefix { get; set; } = "";

    public int? Rpm { get; set; }

    public int? Tpm { get; set; }

    public decimal? BudgetUsd { get; set; }

    /// <summary>Empty: every model.</summary>
    public string[] Models { get; set; } = [];

    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The <c>jsonb</c> object as text: Postgres normalizes it (key order, white space) on the way in.</summary>
    public string Metadata { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? CacheNamespace { get; set; }

    /// <summary>Incremented on every change; orders the key's Redis writes and guards concurrent updates.</summary>
    public long Version { get; set; }

    public BudgetPeriod? BudgetPeriod { get; set; }

    /// <summary>Whether the ledger keeps this key's request and answer texts (<see cref="ApiKeySettings.LogPayloads"/>).</summary>
    public bool LogPayloads { get; set; }

    /// <summary>A new row: version 1, created and updated at <paramref name="now"/>.</summary>
    public static ApiKeyEntity Create(Guid id, byte[] keyHash, string keyPrefix, ApiKeySettings settings, DateTimeOffset now) => new()
    {
        Id = id,
        KeyHash = keyHash,
        KeyPrefix = keyPrefix,
        Name = settings.Name,
        Rpm = settings.Rpm,
        Tpm = settings.Tpm,
        BudgetUsd = settings.BudgetUsd,
        BudgetPeriod = settings.BudgetPeriod,
        Models = [.. settings.Models],
        ExpiresAt = settings.ExpiresAt,
        Metadata = settings.Metadata.GetRawText(),
        CacheNamespace = settings.CacheNamespace,
        LogPayloads = settings.LogPayloads,
        CreatedAt = now,
        UpdatedAt = now,
        Version = 1,
    };

    public ApiKey ToApiKey() => new(
        Id,
        KeyHash,
        KeyPrefix,
        new ApiKeySettings(Name, Rpm, Tpm, BudgetUsd, BudgetPeriod, Models, ExpiresAt, JsonElement.Parse(Metadata), CacheNamespace, LogPayloads),
        CreatedAt,
        UpdatedAt,
        RevokedAt,
        Version);
}
