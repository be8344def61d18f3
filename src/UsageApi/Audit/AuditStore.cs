using System.Globalization;
using AiPlatform.UsageApi.Data;
using Microsoft.EntityFrameworkCore;

namespace AiPlatform.UsageApi.Audit;

/// <summary>Reads the audit log. Nothing here or anywhere else changes or deletes an entry. Thread-safe.</summary>
public sealed class AuditStore(IDbContextFactory<UsageDbContext> contextFactory)
{
    public async Task<AuditPage> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        if (query.Action is { } action)
        {
            entries = entries.Where(e => e.Action == action);
        }

        if (query.ActorId is { } actorId)
        {
            entries = entries.Where(e => e.ActorId == actorId);
        }

        if (query.TargetType is { } targetType)
        {
            entries = entries.Where(e => e.TargetType == targetType);
        }

        if (query.TargetId is { } targetId)
        {
            entries = entries.Where(e => e.TargetId == targetId);
        }

        if (query.From is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }

        if (query.To is { } to)
        {
            entries = entries.Where(e => e.At < to);
        }

        if (query.BeforeId is { } beforeId)
        {
            entries = entries.Where(e => e.Id < beforeId);
        }

        // One more than asked: whether another page follows, without counting.
        var rows = await entries.OrderByDescending(e => e.Id).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > query.Limit;
        var page = rows.Take(query.Limit).Select(AuditEntryView.From).ToList();
        return new AuditPage(page, hasMore, hasMore ? rows[query.Limit - 1].Id.ToString(CultureInfo.InvariantCulture) : null);
    }
}
