using System.Runtime.CompilerServices;
using AiPlatform.UsageApi.Audit;
using AiPlatform.UsageApi.Data;
using Microsoft.EntityFrameworkCore;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// The <c>api_keys</c> table, the source of truth for virtual keys. Every change bumps <see cref="ApiKey.Version"/>
/// and returns the row as written, read back inside the change's transaction, so that it is what Postgres holds
/// (normalized <c>jsonb</c>, timestamps in microseconds), which is what goes to Redis. Times come from
/// <see cref="TimeProvider"/>. Thread-safe: each call takes its own context.
/// </summary>
public sealed class KeyStore(IDbContextFactory<UsageDbContext> contextFactory, TimeProvider time)
{
    public async Task<ApiKey> CreateAsync(Guid id, byte[] keyHash, string keyPrefix, ApiKeySettings settings, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return (await db.InTransactionAsync(async ct =>
        {
            db.ApiKeys.Add(ApiKeyEntity.Create(id, keyHash, keyPrefix, settings, now));
            await db.SaveChangesAsync(ct);
            var created = await FindAsync(db, id, ct);
            await AuditAsync(db, actor, now, AuditActions.KeyCreated, null, created, ct);
            return created;
        }, cancellationToken))!;
    }

    public async Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await FindAsync(db, id, cancellationToken);
    }

    public async Task<ApiKey?> FindByHashAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyHash == keyHash, cancellationToken);
        return key?.ToApiKey();
    }

    /// <summary>Keys newest first; revoked ones only when asked.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync(bool includeRevoked, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var keys = db.ApiKeys.AsNoTracking();
        if (!includeRevoked)
        {
            keys = keys.Where(k => k.RevokedAt == null);
        }

        var rows = await keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToListAsync(cancellationToken);
        return rows.ConvertAll(row => row.ToApiKey());
    }

    /// <summary>Every key whose Redis record should exist: active ones, and those revoked after <paramref name="revokedAfter"/> (tombstones).</summary>
    public async IAsyncEnumerable<ApiKey> ListForSyncAsync(DateTimeOffset revokedAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var keys = db.ApiKeys.AsNoTracking()
            .Where(k => k.RevokedAt == null || k.RevokedAt > revokedAfter)
            .OrderBy(k => k.Id)
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken);
        await foreach (var key in keys)
        {
            yield return key.ToApiKey();
        }
    }

    /// <summary>
    /// Applies a merge patch, so that two concurrent PATCHes of different fields both take effect: the patch is applied
    /// to the key as read, and written by one statement only if the key's version is still the one read; otherwise the
    /// key is read again and the patch applied to what the other writer left. Returns null when no key has
    /// <paramref name="id"/>.
    /// </summary>
    public async Task<ApiKey?> UpdateAsync(Guid id, KeyChanges changes, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            if (await FindAsync(db, id, cancellationToken) is not { } current)
            {
                return null;
            }

            var settings = changes.ApplyTo(current.Settings);
            var now = time.GetUtcNow();
            var updated = await db.InTransactionAsync(async ct =>
            {
                var written = await db.ApiKeys
                    .Where(k => k.Id == id && k.Version == current.Version)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(k => k.Name, settings.Name)
                        .SetProperty(k => k.Rpm, settings.Rpm)
                        .SetProperty(k => k.Tpm, settings.Tpm)
                        .SetProperty(k => k.BudgetUsd, settings.BudgetUsd)
                        .SetProperty(k => k.BudgetPeriod, settings.BudgetPeriod)
                        .SetProperty(k => k.Models, settings.Models.ToArray())
                        .SetProperty(k => k.ExpiresAt, settings.ExpiresAt)
                        .SetProperty(k => k.Metadata, settings.Metadata.GetRawText())
                        .SetProperty(k => k.CacheNamespace, settings.CacheNamespace)
                        .SetProperty(k => k.LogPayloads, settings.LogPayloads)
                        .SetProperty(k => k.UpdatedAt, now)
                        .SetProperty(k => k.Version, k => k.Version + 1), ct);
                if (written != 1)
                {
                    return null;
                }

                var after = await FindAsync(db, id, ct);
                var action = after!.Settings.LogPayloads != current.Settings.LogPayloads ? AuditActions.KeyPayloadLoggingSwitched : AuditActions.KeyUpdated;
                await AuditAsync(db, actor, now, action, current, after, ct);
                return after;
            }, cancellationToken);

            if (updated is not null)
            {
                return updated;
            }
        }
    }

    /// <summary>
    /// Revokes a key; idempotent: a second call changes nothing and returns the key with its first revocation time.
    /// Returns null when no key has <paramref name="id"/>.
    /// </summary>
    public async Task<ApiKey?> RevokeAsync(Guid id, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        // One statement, so that of two concurrent revocations exactly one sets the time (and writes the audit entry).
        // The read after it is a statement of its own: when this one changed nothing, it sees the revocation another
        // committed meanwhile.
        return await db.InTransactionAsync(async ct =>
        {
            var revoked = await db.ApiKeys
                .Where(k => k.Id == id && k.RevokedAt == null)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(k => k.RevokedAt, now)
                    .SetProperty(k => k.UpdatedAt, now)
                    .SetProperty(k => k.Version, k => k.Version + 1), ct);
            var after = await FindAsync(db, id, ct);
            if (revoked == 1)
            {
                await AuditAsync(db, actor, now, AuditActions.KeyRevoked, after! with { RevokedAt = null }, after, ct);
            }

            return after;
        }, cancellationToken);
    }

    private static Task AuditAsync(UsageDbContext db, AuditActor actor, DateTimeOffset at, string action, ApiKey? before, ApiKey? after, CancellationToken cancellationToken)
    {
        var id = (after ?? before)!.Id.ToString();
        AuditTrail.Add(db, actor, at, action, AuditTargets.Key, id, before is null ? null : ApiKeyView.From(before),
            after is null ? null : ApiKeyView.From(after));
        return db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<ApiKey?> FindAsync(UsageDbContext db, Guid id, CancellationToken cancellationToken) =>
        (await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken))?.ToApiKey();
}
