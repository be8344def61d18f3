using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.Dashboard.AdminTokens;

/// <summary>What each scope opens, in one line, for the person choosing a new token's scopes.</summary>
public static class ScopeDescriptions
{
    private static readonly Dictionary<string, string> s_descriptions = new(StringComparer.Ordinal)
    {
        [AdminScopes.AnalyticsRead] = "Usage figures, prices and backends (Overview, Models, Backends), without request records.",
        [AdminScopes.LogsRead] = "Request records (Logs), without prompts and answers.",
        [AdminScopes.PayloadsRead] = "Prompts and answers of keys that log payloads (with logs:read).",
        [AdminScopes.KeysRead] = "Virtual keys' settings and spend.",
        [AdminScopes.KeysWrite] = "Create, change and revoke virtual keys (includes keys:read).",
        [AdminScopes.PricesWrite] = "Set and delete model prices.",
        [AdminScopes.AuditRead] = "The audit log of every change.",
        [AdminScopes.Admin] = "Everything, admin tokens included: as much as the master key.",
    };

    public static string Of(string scope) => s_descriptions.GetValueOrDefault(scope, "");
}
