namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// What an admin token may do. Each admin endpoint names the scopes that open it; <see cref="Admin"/> opens every one,
/// and <see cref="KeysWrite"/> includes <see cref="KeysRead"/> (a key cannot be edited unseen).
/// </summary>
public static class AdminScopes
{
    /// <summary>Usage summaries and time series, prices, the Gateway's backends: the figures, no request records.</summary>
    public const string AnalyticsRead = "analytics:read";

    /// <summary>Request records (the Logs), without payloads.</summary>
    public const string LogsRead = "logs:read";

    /// <summary>The payloads of request records (with <see cref="LogsRead"/>).</summary>
    public const string PayloadsRead = "payloads:read";

    /// <summary>Virtual keys' settings and spend.</summary>
    public const string KeysRead = "keys:read";

    /// <summary>Create, change and revoke virtual keys (payload logging included).</summary>
    public const string KeysWrite = "keys:write";

    /// <summary>Set and delete model prices.</summary>
    public const string PricesWrite = "prices:write";

    /// <summary>The audit log.</summary>
    public const string AuditRead = "audit:read";

    /// <summary>Everything, admin tokens and the services' own endpoints included.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [AnalyticsRead, LogsRead, PayloadsRead, KeysRead, KeysWrite, PricesWrite, AuditRead, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="granted"/> opens something that needs <paramref name="required"/>.</summary>
    public static bool Grants(IEnumerable<string> granted, string required)
    {
        foreach (var scope in granted)
        {
            if (scope == Admin || scope == required || (scope == KeysWrite && required == KeysRead))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="granted"/> opens something that any one of <paramref name="anyOf"/> opens.</summary>
    public static bool GrantsAny(IEnumerable<string> granted, IEnumerable<string> anyOf) => anyOf.Any(required => Grants(granted, required));
}
