using AiPlatform.ServiceDefaults.Usage;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Admin;
using AiPlatform.UsageApi.Budgets;
using static AiPlatform.UsageApi.Admin.RequestErrors;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// Reads and validates the JSON body of <c>POST /v1/keys</c> and <c>PATCH /v1/keys/{id}</c>. The body is read as a
/// document rather than bound to a type, because a merge patch must tell an absent field from a null one and every
/// error must name its field in OpenAI's shape (<c>param</c>). Returns the first error found, except that unknown
/// fields are all named at once.
/// </summary>
public static class KeyRequestParser
{
    public const int MaxNameLength = 200;
    public const int MaxModelNameLength = 200;
    public const int MaxCacheNamespaceLength = 100;

    /// <summary>Far above any real budget, and below what <c>numeric(18, 6)</c> can hold.</summary>
    public const decimal MaxBudgetUsd = 999_999_999_999m;

    private static readonly FrozenSet<string> s_fields = FrozenSet.Create(StringComparer.Ordinal,
        "name", "rpm", "tpm", "budget_usd", "budget_period", "models", "expires_at", "metadata", "cache_namespace", "log_payloads");

    /// <summary>Key bodies are flat apart from <c>models</c> and <c>metadata</c>; nothing needs deeper nesting.</summary>
    private const int MaxBodyDepth = 32;

    /// <summary>Parses the request body as JSON; the caller disposes the document.</summary>
    public static Task<(JsonDocument? Document, ApiError? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        JsonRequestBody.ReadAsync(request, MaxBodyDepth, cancellationToken);

    /// <summary>Validates a create request: <c>name</c> is required and <c>expires_at</c> must lie in the future.</summary>
    public static bool TryParseCreate(JsonElement body, DateTimeOffset now, [NotNullWhen(true)] out KeyChanges? changes, [NotNullWhen(false)] out ApiError? error)
    {
        if (!TryParse(body, out changes, out error))
        {
            return false;
        }

        if (!changes.Name.IsSet)
        {
            error = ApiError.BadRequest("Missing required parameter: 'name'.", "name", KeyErrorCodes.MissingRequiredParameter);
        }
        else if (changes.ExpiresAt.Value is { } expiresAt && expiresAt <= now)
        {
            error = InvalidValue("expires_at", "must be in the future");
        }

        if (error is not null)
        {
            changes = null;
            return false;
        }

        return true;
    }

    /// <summary>Validates a PATCH request (a merge patch): every field is optional; <c>expires_at</c> may lie in the past (expiring the key now).</summary>
    public static bool TryParsePatch(JsonElement body, [NotNullWhen(true)] out KeyChanges? changes, [NotNullWhen(false)] out ApiError? error) =>
        TryParse(body, out changes, out error);

    private static bool TryParse(JsonElement body, [NotNullWhen(true)] out KeyChanges? changes, [NotNullWhen(false)] out ApiError? error)
    {
        changes = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.BadRequest($"The request body must be a JSON object, not {Describe(body.ValueKind)}.", code: KeyErrorCodes.InvalidType);
            return false;
        }

        var unknown = body.EnumerateObject().Select(p => p.Name).Where(name => !s_fields.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            error = ApiError.BadRequest(
                $"Unrecognized request argument{(unknown.Count == 1 ? "" : "s")} supplied: {string.Join(", ", unknown)}",
                unknown[0], KeyErrorCodes.UnknownParameter);
            return false;
        }

        var result = new KeyChanges();
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            error = property.Name switch
            {
                "name" => ParseName(value, ref result),
                "rpm" => ParseLimit("rpm", value, out var rpm) ?? Set(ref result, result with { Rpm = rpm }),
                "tpm" => ParseLimit("tpm", value, out var tpm) ?? Set(ref result, result with { Tpm = tpm }),
                "budget_usd" => ParseBudget(value, ref result),
                "budget_period" => ParseBudgetPeriod(value, ref result),
                "models" => ParseModels(value, ref result),
                "expires_at" => ParseExpiresAt(value, ref result),
                "metadata" => ParseMetadata(value, ref result),
                "cache_namespace" => ParseCacheNamespace(value, ref result),
                "log_payloads" => ParseLogPayloads(value, ref result),
                _ => throw new UnreachableException(),
            };
            if (error is not null)
            {
                return false;
            }
        }

        changes = result;
        error = null;
        return true;
    }

    private static ApiError? Set(ref KeyChanges changes, KeyChanges updated)
    {
        changes = updated;
        return null;
    }

    private static ApiError? ParseName(JsonElement value, ref KeyChanges changes)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value.ValueKind == JsonValueKind.Null
                ? InvalidValue("name", "cannot be null; every key has a name")
                : InvalidType("name", "a string", value);
        }

        if (!JsonText.TryGetString(value, out var name))
        {
            return InvalidValue("name", JsonText.Rule);
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            return InvalidValue("name", $"must be 1 to {MaxNameLength} characters and not only white space");
        }

        return Set(ref changes, changes with { Name = name });
    }

    private static ApiError? ParseLimit(string param, JsonElement value, out Optional<int?> limit)
    {
        limit = default;
        if (value.ValueKind == JsonValueKind.Null)
        {
            limit = (int?)null;
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            return InvalidType(param, "an integer", value);
        }

        if (number is < 1 or > int.MaxValue)
        {
            return InvalidValue(param, $"must be an integer from 1 to {int.MaxValue}, or null for no limit");
        }

        limit = (int?)(int)number;
        return null;
    }

    private static ApiError? ParseBudget(JsonElement value, ref KeyChanges changes)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Set(ref changes, changes with { BudgetUsd = (decimal?)null });
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            return InvalidType("budget_usd", "a number", value);
        }

        if (!value.TryGetDecimal(out var budget) || budget is < 0 or > MaxBudgetUsd)
        {
            return InvalidValue("budget_usd", $"must be a number from 0 to {MaxBudgetUsd}, or null for no budget");
        }

        return Set(ref changes, changes with { BudgetUsd = (decimal?)budget });
    }

    private static ApiError? ParseBudgetPeriod(JsonElement value, ref KeyChanges changes)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Set(ref changes, changes with { BudgetPeriod = (BudgetPeriod?)null });
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return InvalidType("budget_period", "a string", value);
        }

        if (!JsonText.TryGetString(value, out var periodText) || !BudgetPeriods.TryParse(periodText, out var period))
        {
            return InvalidValue("budget_period",
                $"must be '{BudgetPeriods.Daily}' or '{BudgetPeriods.Monthly}' (UTC calendar periods), or null for a budget over the key's whole life");
        }

        return Set(ref changes, changes with { BudgetPeriod = period });
    }

    private static ApiError? ParseModels(JsonElement value, ref KeyChanges changes)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Set(ref changes, changes with { Models = new Optional<IReadOnlyList<string>?>(null) });
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return InvalidType("models", "an array of model names", value);
        }

        var models = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return InvalidType("models", "an array of strings", item, "an element");
            }

            if (!JsonText.TryGetString(item, out var model))
            {
                return InvalidValue("models", "every model name " + JsonText.Rule);
            }

            if (string.IsNullOrWhiteSpace(model) || model.Length > MaxModelNameLength)
            {
                return InvalidValue("models", $"every model name must be 1 to {MaxModelNameLength} characters and not only white space");
            }

            if (!models.Contains(model, StringComparer.Ordinal))
            {
                models.Add(model);
            }
        }

        return Set(ref changes, changes with { Models = new Optional<IReadOnlyList<string>?>(models) });
    }

    private static ApiError? ParseExpiresAt(JsonElement value, ref KeyChanges changes)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Set(ref changes, changes with { ExpiresAt = (DateTimeOffset?)null });
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return InvalidType("expires_at", "an ISO 8601 date and time string", value);
        }

        return JsonTime.TryRead(value, out var expiresAt)
            ? Set(ref changes, changes with { ExpiresAt = (DateTimeOffset?)expiresAt })
            : InvalidValue("expires_at", JsonTime.Rule);
    }

    private static ApiError? ParseMetadata(JsonElement value, ref KeyChanges changes)
    {
        return value.ValueKind switch
        {
            JsonValueKind.Null => Set(ref changes, changes with { Metadata = (JsonElement?)null }),
            // Cloned: the request's document is disposed when the handler ends.
            JsonValueKind.Object when !JsonText.IsStorable(value) => InvalidValue("metadata", "every name and string " + JsonText.Rule),
            JsonValueKind.Object => Set(ref changes, changes with { Metadata = (JsonElement?)value.Clone() }),
            _ => InvalidType("metadata", "a JSON object", value),
        };
    }

    private static ApiError? ParseCacheNamespace(JsonElement value, ref KeyChanges changes)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Set(ref changes, changes with { CacheNamespace = (string?)null });
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return InvalidType("cache_namespace", "a string", value);
        }

        // Gateways build Redis keys from it: keep to characters that need no escaping and cannot form a hash tag ({...}).
        if (!JsonText.TryGetString(value, out var cacheNamespace))
        {
            return InvalidValue("cache_namespace", JsonText.Rule);
        }

        if (cacheNamespace.Length is 0 or > MaxCacheNamespaceLength || !cacheNamespace.All(IsNamespaceChar))
        {
            return InvalidValue("cache_namespace",
                $"must be 1 to {MaxCacheNamespaceLength} characters of letters, digits, '.', '_', '-' and ':', or null for the key's own namespace");
        }

        return Set(ref changes, changes with { CacheNamespace = cacheNamespace });
    }

    private static ApiError? ParseLogPayloads(JsonElement value, ref KeyChanges changes) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => Set(ref changes, changes with { LogPayloads = (bool?)value.GetBoolean() }),
        JsonValueKind.Null => Set(ref changes, changes with { LogPayloads = (bool?)null }),
        _ => InvalidType("log_payloads", "a boolean", value),
    };

    private static bool IsNamespaceChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':';
}

/// <summary>Values of the error <c>code</c> field for bad admin requests, as OpenAI's API names them.</summary>
public static class KeyErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidType = "invalid_type";
    public const string InvalidValue = "invalid_value";
    public const string MissingRequiredParameter = "missing_required_parameter";
    public const string UnknownParameter = "unknown_parameter";
}
