using AiPlatform.UsageApi.Audit;
using AiPlatform.UsageApi.Data;
using Microsoft.EntityFrameworkCore;

namespace AiPlatform.UsageApi.Prices;

/// <summary>
/// The <c>model_prices</c> table. Every change also bumps <c>model_prices_version</c> in its transaction, so that a
/// snapshot (<see cref="ReadSnapshotAsync"/>) knows how new it is. Times come from <see cref="TimeProvider"/>.
/// Thread-safe: each call takes its own context.
/// </summary>
/// <remarks>
/// A change bumps the version first: the version row's lock then orders all changes of the table, so an upsert's
/// check-then-insert cannot race another writer of the same model, and upserts and deletions take their locks in the
/// same order (version, then price), which cannot deadlock.
/// </remarks>
public sealed class PriceStore(IDbContextFactory<UsageDbContext> contextFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<ModelPrice>> ListAsync(CancellationToken cancellationToken) =>
        (await ReadSnapshotAsync(cancellationToken)).Prices;

    public async Task<ModelPrice?> GetAsync(string model, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await FindAsync(db, model, cancellationToken);
    }

    /// <summary>The whole table and its version, read in one statement (one snapshot), ordered by model.</summary>
    public async Task<PriceSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // version LEFT JOIN prices ON true: the version comes back even when the table is empty.
        var rows = await (
                from version in db.PriceTableVersions
                from price in db.ModelPrices.DefaultIfEmpty()
                orderby price!.Model
                select new { version.Version, Price = price })
            .AsNoTracking()
            .ToListAsync(cancellationToken);

        var prices = rows.Where(row => row.Price is not null).Select(row => row.Price!.ToModelPrice()).ToList();
        return new PriceSnapshot(rows.Count > 0 ? rows[0].Version : 0, prices);
    }

    /// <summary>Creates or replaces the price of <paramref name="model"/>, with its audit entry.</summary>
    public async Task<ModelPrice> UpsertAsync(string model, decimal inputPerMillionUsd, decimal outputPerMillionUsd, AuditActor actor,
        CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return (await db.InTransactionAsync(async ct =>
        {
            await BumpVersionAsync(db, ct);
            var before = await FindAsync(db, model, ct);
            var replaced = await db.ModelPrices
                .Where(p => p.Model == model)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(p => p.InputPerMillionUsd, inputPerMillionUsd)
                    .SetProperty(p => p.OutputPerMillionUsd, outputPerMillionUsd)
                    .SetProperty(p => p.UpdatedAt, now), ct);
            if (replaced == 0)
            {
                db.ModelPrices.Add(new ModelPriceEntity
                {
                    Model = model,
                    InputPerMillionUsd = inputPerMillionUsd,
                    OutputPerMillionUsd = outputPerMillionUsd,
                    UpdatedAt = now,
                });
            }

            // As stored: numeric(18, 9) rounds, and the answer shows what the ledger will price with.
            await db.SaveChangesAsync(ct);
            var after = await FindAsync(db, model, ct);
            AuditTrail.Add(db, actor, now, AuditActions.PriceSet, AuditTargets.Price, model, before?.Trimmed(), after!.Trimmed());
            await db.SaveChangesAsync(ct);
            return after;
        }, cancellationToken))!;
    }

    /// <summary>Deletes the price of <paramref name="model"/>, with its audit entry; false when it had none.</summary>
    public async Task<bool> DeleteAsync(string model, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await BumpVersionAsync(db, ct);
            var before = await FindAsync(db, model, ct);
            if (before is null || await db.ModelPrices.Where(p => p.Model == model).ExecuteDeleteAsync(ct) == 0)
            {
                // Nothing changed, so the version must not either: disposing the transaction rolls the bump back.
                return false;
            }

            AuditTrail.Add(db, actor, now, AuditActions.PriceDeleted, AuditTargets.Price, model, before.Trimmed(), null);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
    }

    private static Task BumpVersionAsync(UsageDbContext db, CancellationToken cancellationToken) =>
        db.PriceTableVersions.ExecuteUpdateAsync(set => set.SetProperty(v => v.Version, v => v.Version + 1), cancellationToken);

    private static async Task<ModelPrice?> FindAsync(UsageDbContext db, string model, CancellationToken cancellationToken) =>
        (await db.ModelPrices.AsNoTracking().SingleOrDefaultAsync(p => p.Model == model, cancellationToken))?.ToModelPrice();
}

/// <summary>The price table at one moment, with the version it had then.</summary>
public sealed record PriceSnapshot(long Version, IReadOnlyList<ModelPrice> Prices);
