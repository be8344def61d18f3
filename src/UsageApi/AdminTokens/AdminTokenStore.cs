using AiPlatform.UsageApi.Audit;
using AiPlatform.UsageApi.Data;
using Microsoft.EntityFrameworkCore;

namespace AiPlatform.UsageApi.AdminTokens;

/// <summary>
/// The <c>admin_tokens</c> table. Creating and revoking write their audit entry in the same transaction. Times come from
/// <see cref="TimeProvider"/>. Thread-safe: each call takes its own context.
/// </summary>
public sealed class AdminTokenStore(IDbContextFactory<UsageDbContext> contextFactory, TimeProvider time)
{
    /// <summary>How stale <c>last_used_at</c> may get: writing it on every admin request would be a write per read.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<AdminTokenEntity> CreateAsync(AdminTokenEntity token, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.InTransactionAsync(async ct =>
        {
            db.AdminTokens.Add(token);
            AuditTrail.Add(db, actor, token.CreatedAt, AuditActions.AdminTokenCreated, AuditTargets.AdminToken, token.Id.ToString(),
                null, AdminTokenView.From(token).ForAudit());
            await db.SaveChangesAsync(ct);
            return token;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<AdminTokenEntity>> ListAsync(bool includeRevoked, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tokens = db.AdminTokens.AsNoTracking();
        if (!includeRevoked)
        {
            tokens = tokens.Where(t => t.RevokedAt == null);
        }

        return await tokens.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).ToListAsync(cancellationToken);
    }

    public async Task<AdminTokenEntity?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.AdminTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    public async Task<AdminTokenEntity?> FindByHashAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.AdminTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == tokenHash, cancellationToken);
    }

    /// <summary>
    /// Revokes a token; idempotent: a second call changes nothing, writes no audit entry and returns the token with its
    /// first revocation time. Null when no token has <paramref name="id"/>.
    /// </summary>
    public async Task<AdminTokenEntity?> RevokeAsync(Guid id, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await db.InTransactionAsync(async ct =>
        {
            // FOR UPDATE: of two concurrent revocations, the second waits and then sees the first's time.
            var token = await db.AdminTokens.FromSql($"SELECT * FROM admin_tokens WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(ct);
            if (token is null || token.RevokedAt is not null)
            {
                return token;
            }

            var before = AdminTokenView.From(token).ForAudit();
            token.RevokedAt = now;
            AuditTrail.Add(db, actor, now, AuditActions.AdminTokenRevoked, AuditTargets.AdminToken, id.ToString(), before,
                AdminTokenView.From(token).ForAudit());
            await db.SaveChangesAsync(ct);
            return token;
        }, cancellationToken);
    }

    /// <summary>Records a use, unless one was recorded less than <see cref="LastUsedResolution"/> ago.</summary>
    public async Task TouchAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var staleBefore = now - LastUsedResolution;
        await db.AdminTokens
            .Where(t => t.Id == id && (t.LastUsedAt == null || t.LastUsedAt < staleBefore))
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.LastUsedAt, now), cancellationToken);
    }
}
