using System.Text.Json.Nodes;

namespace AiPlatform.Dashboard.Admin;

/// <summary>The JSON bodies the Keys page sends: a whole key to create, and a merge patch of only what changed.</summary>
public static class KeyChanges
{
    public static JsonObject ForCreate(KeySettings settings)
    {
        var body = new JsonObject { ["name"] = settings.Name.Trim() };
        AddIfSet(body, "rpm", settings.Rpm);
        AddIfSet(body, "tpm", settings.Tpm);
        AddIfSet(body, "budget_usd", settings.BudgetUsd);
        if (settings.BudgetPeriod is { } period)
        {
            body["budget_period"] = period;
        }

        if (settings.Models.Count > 0)
        {
            body["models"] = Models(settings.Models);
        }

        if (settings.ExpiresAt is { } expiresAt)
        {
            body["expires_at"] = AdminJson.Time(expiresAt);
        }

        if (settings.LogPayloads)
        {
            body["log_payloads"] = true;
        }

        return body;
    }

    /// <summary>
    /// A JSON Merge Patch from <paramref name="before"/> to <paramref name="after"/>: only the fields that differ, a
    /// cleared one as null. Unchanged fields are left out, so an expiry already past is not sent back (and refused).
    /// </summary>
    public static JsonObject ForUpdate(KeySettings before, KeySettings after)
    {
        var patch = new JsonObject();
        if (after.Name.Trim() != before.Name)
        {
            patch["name"] = after.Name.Trim();
        }

        if (after.Rpm != before.Rpm)
        {
            patch["rpm"] = after.Rpm;
        }

        if (after.Tpm != before.Tpm)
        {
            patch["tpm"] = after.Tpm;
        }

        if (after.BudgetUsd != before.BudgetUsd)
        {
            patch["budget_usd"] = after.BudgetUsd;
        }

        if (after.BudgetPeriod != before.BudgetPeriod)
        {
            patch["budget_period"] = after.BudgetPeriod;
        }

        if (!after.Models.SequenceEqual(before.Models, StringComparer.Ordinal))
        {
            patch["models"] = Models(after.Models);
        }

        if (after.ExpiresAt != before.ExpiresAt)
        {
            patch["expires_at"] = after.ExpiresAt is { } expiresAt ? AdminJson.Time(expiresAt) : null;
        }

        if (after.LogPayloads != before.LogPayloads)
        {
            patch["log_payloads"] = after.LogPayloads;
        }

        return patch;
    }

    private static void AddIfSet<T>(JsonObject body, string name, T? value) where T : struct
    {
        if (value is { } set)
        {
            body[name] = JsonValue.Create(set);
        }
    }

    private static JsonArray Models(IReadOnlyList<string> models) => new([.. models.Select(model => (JsonNode)model)]);
}
