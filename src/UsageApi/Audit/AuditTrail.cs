using System.Text.Json;
using AiPlatform.UsageApi.Data;

namespace AiPlatform.UsageApi.Audit;

/// <summary>
/// Adds an entry to the audit log inside the change's own transaction: the change and its entry are committed together
/// or not at all. Before and after are the admin API's views of the target, which never hold a secret.
/// </summary>
public static class AuditTrail
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// Adds the entry to <paramref name="db"/>'s change tracker; the caller's SaveChanges writes it. None when before and
    /// after read the same (a PATCH that set what was there): the log records changes, not requests.
    /// </summary>
    public static void Add<TView>(UsageDbContext db, AuditActor actor, DateTimeOffset at, string action, string targetType, string targetId,
        TView? before, TView? after) where TView : class
    {
        var beforeJson = before is null ? null : JsonSerializer.Serialize(before, s_json);
        var afterJson = after is null ? null : JsonSerializer.Serialize(after, s_json);
        if (beforeJson == afterJson)
        {
            return;
        }

        db.AuditEntries.Add(new AuditEntryEntity
        {
            At = at,
            ActorKind = actor.Identity.Kind,
            ActorId = actor.Identity.Id,
            ActorName = actor.Identity.Name,
            ClientAddress = actor.ClientAddress,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Before = beforeJson,
            After = afterJson,
        });
    }
}
