using System.Runtime.CompilerServices;
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
    public async Task<ApiKey> CreateAsync(Guid id, byte[] keyHash, string keyPrefix, ApiKeySettings settings, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return (await db.InTransactionAsync(async ct =>
        {
            db.ApiKeys.Add(ApiKeyEntity.Create(id, keyHash, keyPrefix, settings, now));
            await db.SaveChangesAsync(ct);
            return await FindAsync(db, id, ct);
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
    public async Task<ApiKey?> UpdateAsync(Guid id, KeyChanges changes, CancellationToken cancellationToken)
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
                return written == 1 ? await FindAsync(db, id, ct) : null;
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
    public async Task<ApiKey?> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        // One statement, so that of two concurrent revocations exactly one sets the time. The read after it is a
        // statement of its own: when this one changed nothing, it sees the revocation another committed meanwhile.
        return await db.InTransactionAsync(async ct =>
        {
            await db.ApiKeys
                .Where(k => k.Id == id && k.RevokedAt == null)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(k => k.RevokedAt, now)
                    .SetProperty(k => k.UpdatedAt, now)
                    .SetProperty(k => k.Version, k => k.Version + 1), ct);
            return await FindAsync(db, id, ct);
        }, cancellationToken);
    }

    private static async Task<ApiKey?> FindAsync(UsageDbContext db, Guid id, CancellationToken cancellationToken) =>
        (await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken))?.ToApiKey();
}
