using System.Text.Json;
using AiPlatform.UsageApi.Budgets;

namespace AiPlatform.UsageApi.Keys;

/// <summary>A field of a request that may be absent (<see cref="IsSet"/> false), which is not the same as null.</summary>
public readonly record struct Optional<T>
{
    public Optional(T value)
    {
        Value = value;
        IsSet = true;
    }

    public bool IsSet { get; }

    public T Value { get; }

    public T Or(T current) => IsSet ? Value : current;

    public static implicit operator Optional<T>(T value) => new(value);
}

/// <summary>
/// The fields of a create or PATCH request, validated. Applied with JSON Merge Patch semantics (RFC 7396): an absent
/// field keeps its value, null clears it (<c>models</c> to [], <c>metadata</c> to {}, <c>log_payloads</c> to false), a
/// value replaces it, except <c>metadata</c>, which is merged member by member as the RFC does for nested objects.
/// </summary>
public sealed record KeyChanges
{
    public Optional<string> Name { get; init; }
    public Optional<int?> Rpm { get; init; }
    public Optional<int?> Tpm { get; init; }
    public Optional<decimal?> BudgetUsd { get; init; }

    /// <summary>Null: the budget covers the key's whole life.</summary>
    public Optional<BudgetPeriod?> BudgetPeriod { get; init; }

    /// <summary>Null clears the list (every model allowed).</summary>
    public Optional<IReadOnlyList<string>?> Models { get; init; }

    public Optional<DateTimeOffset?> ExpiresAt { get; init; }

    /// <summary>A merge patch for the metadata object; null clears it.</summary>
    public Optional<JsonElement?> Metadata { get; init; }

    public Optional<string?> CacheNamespace { get; init; }

    /// <summary>Null turns it off, as absent does on a new key.</summary>
    public Optional<bool?> LogPayloads { get; init; }

    public ApiKeySettings ApplyTo(ApiKeySettings current) => new(
        Name.Or(current.Name),
        Rpm.Or(current.Rpm),
        Tpm.Or(current.Tpm),
        BudgetUsd.Or(current.BudgetUsd),
        BudgetPeriod.Or(current.BudgetPeriod),
        Models.IsSet ? Models.Value ?? [] : current.Models,
        ExpiresAt.Or(current.ExpiresAt),
        !Metadata.IsSet ? current.Metadata
            : Metadata.Value is { } patch ? JsonMergePatch.Apply(current.Metadata, patch)
            : ApiKeySettings.EmptyMetadata,
        CacheNamespace.Or(current.CacheNamespace),
        LogPayloads.IsSet ? LogPayloads.Value ?? false : current.LogPayloads);
}
