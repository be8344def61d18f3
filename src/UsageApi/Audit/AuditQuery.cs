using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Analytics;
using static AiPlatform.UsageApi.Admin.RequestErrors;

namespace AiPlatform.UsageApi.Audit;

/// <summary>
/// A read of the audit log: filters that all must match, newest first, <see cref="Limit"/> entries after
/// <see cref="BeforeId"/> (the previous page's <c>next_cursor</c>).
/// </summary>
public sealed record AuditQuery(
    string? Action, Guid? ActorId, string? TargetType, string? TargetId, DateTimeOffset? From, DateTimeOffset? To, int Limit, long? BeforeId)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Parses <c>GET /v1/audit</c>'s query; each bad parameter is a 400 naming it.</summary>
    public static bool TryParse(IQueryCollection query, [NotNullWhen(true)] out AuditQuery? parsed, [NotNullWhen(false)] out ApiError? error)
    {
        parsed = null;
        if (!AnalyticsRequestParser.TryGetText(query, "action", out var action, out error)
            || !AnalyticsRequestParser.TryGetText(query, "actor_id", out var actorText, out error)
            || !AnalyticsRequestParser.TryGetText(query, "target_type", out var targetType, out error)
            || !AnalyticsRequestParser.TryGetText(query, "target_id", out var targetId, out error)
            || !AnalyticsRequestParser.TryGetTime(query, "from", out var from, out error)
            || !AnalyticsRequestParser.TryGetTime(query, "to", out var to, out error)
            || !AnalyticsRequestParser.TryGetSingle(query, "limit", out var limitText, out error)
            || !AnalyticsRequestParser.TryGetSingle(query, "cursor", out var cursorText, out error))
        {
            return false;
        }

        if (from is { } start && to is { } end && start >= end)
        {
            error = InvalidValue("from", "must be before 'to'");
            return false;
        }

        if (action is not null && !AuditActions.All.Contains(action, StringComparer.Ordinal))
        {
            error = InvalidValue("action", "must be one of " + string.Join(", ", AuditActions.All));
            return false;
        }

        if (targetType is not null && !AuditTargets.All.Contains(targetType, StringComparer.Ordinal))
        {
            error = InvalidValue("target_type", "must be one of " + string.Join(", ", AuditTargets.All));
            return false;
        }

        Guid? actorId = null;
        if (actorText is not null)
        {
            if (!Guid.TryParse(actorText, out var id))
            {
                error = InvalidValue("actor_id", "must be the id of an admin token");
                return false;
            }

            actorId = id;
        }

        var limit = DefaultLimit;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            error = InvalidValue("limit", $"must be an integer from 1 to {MaxLimit}");
            return false;
        }

        long? beforeId = null;
        if (cursorText is not null)
        {
            if (!long.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                error = InvalidValue("cursor", "is not a cursor this API gave out; pass 'next_cursor' of the previous page unchanged");
                return false;
            }

            beforeId = id;
        }

        parsed = new AuditQuery(action, actorId, targetType, targetId, from, to, limit, beforeId);
        return true;
    }
}
