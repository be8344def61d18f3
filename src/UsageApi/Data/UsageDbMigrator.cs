using System.Data;
using System.Reflection;
using AiPlatform.UsageApi.Data.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AiPlatform.UsageApi.Data;

/// <summary>
/// Brings the usage database to the newest EF Core migration (<c>Data/Migrations</c>), first taking over a database
/// that the SQL scripts of versions before EF Core made.
/// </summary>
/// <remarks>
/// Several replicas may start at once. Npgsql's EF Core provider serializes migrators with <c>LOCK TABLE
/// "__EFMigrationsHistory"</c> inside the migration transaction, not with an advisory lock, and that lock cannot cover the
/// take-over, which runs before EF Core's migrator starts. So the whole run holds a session-level advisory lock on the
/// one connection everything here uses, EF Core's migrator included: one replica migrates while the others wait, then
/// find nothing left to do. The key is the one the earlier SQL migration runner took, so an old replica starting during
/// a rolling update waits as well.
/// </remarks>
public sealed class UsageDbMigrator(IDbContextFactory<UsageDbContext> contextFactory, ILogger<UsageDbMigrator> logger)
{
    /// <summary>The advisory lock key, unchanged since the SQL scripts ("AIPLMIGR" as ASCII).</summary>
    public const long AdvisoryLockKey = 0x4149504C4D494752;

    /// <summary>The last version the SQL scripts reached; the schema they left is <see cref="InitialSchema"/>'s.</summary>
    public const int LegacySchemaVersion = 5;

    /// <summary>Applies the pending migrations and returns how many were applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            await TakeOverLegacySchemaAsync(db, cancellationToken);

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            foreach (var migration in pending)
            {
                MigrationLog.Applied(logger, migration);
            }

            MigrationLog.UpToDate(logger, pending.Count, db.Database.GetMigrations().Count());
            return pending.Count;
        }
        finally
        {
            // The session goes back to the pool, so it must not keep the lock; when the connection broke, the lock went with it.
            if (db.Database.GetDbConnection().State == ConnectionState.Open)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// A database the SQL scripts made has their record, <c>schema_migrations</c>, and no EF Core history. At version 5
    /// its schema is exactly what <see cref="InitialSchema"/> creates, so recording that migration as applied is the whole
    /// take-over: the data stay, and nothing is dropped (<c>schema_migrations</c> included, for an older replica that may
    /// still start). A database at an earlier script version is refused: this version has no way to finish it.
    /// </summary>
    private async Task TakeOverLegacySchemaAsync(UsageDbContext db, CancellationToken cancellationToken)
    {
        var hasLegacyRecord = await db.Database
            .SqlQuery<bool>($"""SELECT to_regclass('schema_migrations') IS NOT NULL AS "Value" """)
            .SingleAsync(cancellationToken);
        if (!hasLegacyRecord || (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any())
        {
            return;
        }

        var versions = await db.Database
            .SqlQuery<int>($"""SELECT version AS "Value" FROM schema_migrations ORDER BY version""")
            .ToListAsync(cancellationToken);
        if (!versions.SequenceEqual(Enumerable.Range(1, LegacySchemaVersion)))
        {
            throw new InvalidOperationException(
                $"The usage database was made by an earlier UsageApi whose SQL migrations reached versions [{string.Join(", ", versions)}]; " +
                $"this version takes over only a database at versions 1 to {LegacySchemaVersion}. Start the earlier UsageApi once " +
                "against it to finish its migrations, then this one.");
        }

        var history = db.GetService<IHistoryRepository>();
        var initialSchema = typeof(InitialSchema).GetCustomAttribute<MigrationAttribute>()!.Id;
        await history.CreateIfNotExistsAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(initialSchema, ProductInfo.GetVersion())), cancellationToken);
        MigrationLog.LegacySchemaTakenOver(logger, LegacySchemaVersion, initialSchema);
    }
}
