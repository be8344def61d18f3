using System.Text.Json;
using System.Text.Json.Serialization;
using AiPlatform.UsageApi.Budgets;

namespace AiPlatform.UsageApi.Keys;

/// <summary>A key as the admin API shows it (snake_case JSON). <see cref="Key"/> is set only in the answer to its creation.</summary>
public sealed record ApiKeyView(
    Guid Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
    string KeyPrefix,
    string Name,
    int? Rpm,
    int? Tpm,
    decimal? BudgetUsd,
    BudgetPeriod? BudgetPeriod,
    IReadOnlyList<string> Models,
    DateTimeOffset? ExpiresAt,
    JsonElement Metadata,
    string? CacheNamespace,
    bool LogPayloads,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    public static ApiKeyView From(ApiKey key, string? plainKey = null)
    {
        var settings = key.Settings;
        return new(key.Id, plainKey, key.KeyPrefix, settings.Name, settings.Rpm, settings.Tpm, Money.Trim(settings.BudgetUsd),
            settings.BudgetPeriod, settings.Models, settings.ExpiresAt, settings.Metadata, settings.CacheNamespace, settings.LogPayloads,
            key.CreatedAt, key.RevokedAt);
    }
}

/// <summary>A page of keys in OpenAI's list shape: <c>{"object": "list", "data": [...]}</c>.</summary>
public sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

internal static class Money
{
    /// <summary>
    /// Drops trailing zeros that <c>numeric(18, 6)</c> adds (10.500000 → 10.5), so that the JSON number reads as it was
    /// sent. Dividing by 1 with 28 decimal places normalises a decimal's scale.
    /// </summary>
    public static decimal? Trim(decimal? value) => value / 1.0000000000000000000000000000m;
}
