using AiPlatform.ServiceDefaults.Usage;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Admin;
using AiPlatform.UsageApi.Keys;
using static AiPlatform.UsageApi.Admin.RequestErrors;

namespace AiPlatform.UsageApi.AdminTokens;

/// <summary>The body of <c>POST /v1/admin/tokens</c>: a name, at least one known scope, and an expiry in the future.</summary>
public sealed record AdminTokenRequest(string Name, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt)
{
    private static readonly string[] s_fields = ["name", "scopes", "expires_at"];

    public static bool TryParse(JsonElement body, DateTimeOffset now, [NotNullWhen(true)] out AdminTokenRequest? request, [NotNullWhen(false)] out ApiError? error)
    {
        request = null;
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = InvalidType("body", "a JSON object", body);
            return false;
        }

        if (body.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !s_fields.Contains(name, StringComparer.Ordinal)) is { } unknown)
        {
            error = ApiError.BadRequest($"Unrecognized request argument supplied: '{unknown}'.", unknown, KeyErrorCodes.UnknownParameter);
            return false;
        }

        foreach (var field in s_fields)
        {
            if (!body.TryGetProperty(field, out _))
            {
                error = ApiError.BadRequest($"Missing required parameter: '{field}'.", field, KeyErrorCodes.MissingRequiredParameter);
                return false;
            }
        }

        var nameValue = body.GetProperty("name");
        if (nameValue.ValueKind != JsonValueKind.String)
        {
            error = InvalidType("name", "a string", nameValue);
            return false;
        }

        if (!JsonText.TryGetString(nameValue, out var name))
        {
            error = InvalidValue("name", JsonText.Rule);
            return false;
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > KeyRequestParser.MaxNameLength)
        {
            error = InvalidValue("name", $"must be 1 to {KeyRequestParser.MaxNameLength} characters and not only white space");
            return false;
        }

        if (!TryParseScopes(body.GetProperty("scopes"), out var scopes, out error))
        {
            return false;
        }

        if (!JsonTime.TryRead(body.GetProperty("expires_at"), out var expiresAt))
        {
            error = InvalidValue("expires_at", JsonTime.Rule);
            return false;
        }

        if (expiresAt <= now)
        {
            error = InvalidValue("expires_at", "must be in the future");
            return false;
        }

        request = new AdminTokenRequest(name, scopes, expiresAt);
        return true;
    }

    private static bool TryParseScopes(JsonElement value, out IReadOnlyList<string> scopes, [NotNullWhen(false)] out ApiError? error)
    {
        scopes = [];
        error = null;
        var rule = "must be a non-empty array of these scopes: " + string.Join(", ", AdminScopes.All);
        if (value.ValueKind != JsonValueKind.Array)
        {
            error = InvalidType("scopes", "an array of strings", value);
            return false;
        }

        var parsed = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !JsonText.TryGetString(item, out var scope) || !AdminScopes.IsKnown(scope))
            {
                error = InvalidValue("scopes", rule);
                return false;
            }

            if (!parsed.Contains(scope, StringComparer.Ordinal))
            {
                parsed.Add(scope);
            }
        }

        if (parsed.Count == 0)
        {
            error = InvalidValue("scopes", rule);
            return false;
        }

        scopes = parsed;
        return true;
    }
}
