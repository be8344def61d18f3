using System.Reflection;
using AiPlatform.Testing;
using AiPlatform.UsageApi.Data;
using AiPlatform.UsageApi.Data.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AiPlatform.UsageApi.Tests.Data;

public sealed class UsageDbMigratorTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string InitialSchemaId = "20261129181917_InitialSchema";

    private static readonly int s_migrationCount = new UsageDbContextDesignTimeFactory().CreateDbContext([]).Database.GetMigrations().Count();

    [Fact]
    public async Task Migrate_Twice_SecondRunAppliesNothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var migrator = CreateMigrator(dataSource);

        var first = await migrator.MigrateAsync(CancellationToken.None);
        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(s_migrationCount, first);
        Assert.Equal(0, second);
        Assert.Equal(s_migrationCount, await CountAppliedAsync(dataSource));
    }

    [Fact]
    public async Task Migrate_TwoMigratorsAtOnce_EachMigrationAppliedOnceAndSchemaComplete()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var sourceA = NpgsqlDataSource.Create(connectionString);
        await using var sourceB = NpgsqlDataSource.Create(connectionString);
        await using var reference = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await CreateMigrator(reference).MigrateAsync(CancellationToken.None);

        var applied = await Task.WhenAll(
            Task.Run(() => CreateMigrator(sourceA).MigrateAsync(CancellationToken.None)),
            Task.Run(() => CreateMigrator(sourceB).MigrateAsync(CancellationToken.None)));

        Assert.Equal(s_migrationCount, applied.Sum());
        Assert.Equal(s_migrationCount, await CountAppliedAsync(sourceA));
        Assert.Equal(await LegacySchema.DescribeAsync(reference), await LegacySchema.DescribeAsync(sourceA));
    }

    [Fact]
    public async Task Migrate_AnotherSessionHoldsTheMigrationLock_WaitsUntilItIsReleased()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await using var holder = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(holder, $"SELECT pg_advisory_lock({UsageDbMigrator.AdvisoryLockKey})");

        var migration = CreateMigrator(dataSource).MigrateAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(migration.IsCompleted);
        Assert.Equal(0, await CountAppliedAsync(dataSource));

        await ExecuteAsync(holder, $"SELECT pg_advisory_unlock({UsageDbMigrator.AdvisoryLockKey})");
        Assert.Equal(s_migrationCount, await migration.WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task Migrate_DatabaseFromLegacyScripts_TakenOverAsInitialSchemaWithTheSameSchema()
    {
        await using var legacy = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await using var fresh = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await LegacySchema.ApplyAsync(legacy);
        await CreateMigrator(fresh).MigrateAsync(CancellationToken.None);

        var applied = await CreateMigrator(legacy).MigrateAsync(CancellationToken.None);

        Assert.Equal(s_migrationCount - 1, applied);
        var schema = await LegacySchema.DescribeAsync(fresh);
        Assert.Equal(schema, await LegacySchema.DescribeAsync(legacy));
        Assert.Contains("constraint api_keys.api_keys_key_hash_key UNIQUE (key_hash)", schema);
        Assert.Contains("partitioned usage_records by RANGE (\"timestamp\")", schema);
        Assert.Contains(schema, line => line.StartsWith("function CREATE OR REPLACE FUNCTION public.usage_records_ensure_partition", StringComparison.Ordinal));
        Assert.Contains("price gpt-4o 2.500000000 10.000000000", schema);
        Assert.Equal(InitialSchemaId, await ScalarAsync<string>(legacy, """SELECT min("MigrationId") FROM "__EFMigrationsHistory" """));
        // Nothing of the old record is dropped: an older replica starting meanwhile still finds its migrations done.
        Assert.Equal(UsageDbMigrator.LegacySchemaVersion, await ScalarAsync<long>(legacy, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public void InitialSchema_Id_IsTheOneLegacyDatabasesAreRecordedWith()
    {
        // Renaming the first migration would make every taken-over database apply it again over its existing tables.
        Assert.Equal(InitialSchemaId, typeof(InitialSchema).GetCustomAttribute<MigrationAttribute>()!.Id);
    }

    [Fact]
    public async Task Migrate_LegacyScriptsUnfinished_ThrowsNamingTheVersionsAndChangesNothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await LegacySchema.ApplyAsync(dataSource, lastVersion: 4);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CreateMigrator(dataSource).MigrateAsync(CancellationToken.None));

        Assert.Contains("[1, 2, 3, 4]", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAppliedAsync(dataSource));
    }

    [Fact]
    public void Migrations_Snapshot_MatchesTheModel()
    {
        // A model change without its migration would leave the database behind the code (`dotnet ef migrations add`).
        using var db = new UsageDbContextDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task PathAndBodyBytes_LedgerWithRecords_ColumnsOnEveryPartitionAndOldRecordsNull()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await using (var db = new UsageDbContext(new DbContextOptionsBuilder<UsageDbContext>().UseNpgsql(dataSource).Options))
        {
            await db.GetService<IMigrator>().MigrateAsync(typeof(AdminTokensAndAudit).GetCustomAttribute<MigrationAttribute>()!.Id);
        }

        await using (var seed = dataSource.CreateCommand("""
            SELECT usage_records_ensure_partition('2026-01-15T00:00:00Z');
            INSERT INTO usage_records (request_id, "timestamp", status_code) VALUES ('before', '2026-01-15T12:00:00Z', 200);
            """))
        {
            await seed.ExecuteNonQueryAsync();
        }

        await CreateMigrator(dataSource).MigrateAsync(CancellationToken.None);

        Assert.Equal("path text, request_bytes bigint, response_bytes bigint", await ScalarAsync<string>(dataSource, """
            SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_name = 'usage_records_2026_01' AND column_name IN ('path', 'request_bytes', 'response_bytes')
            """));
        Assert.True(await ScalarAsync<bool>(dataSource,
            "SELECT path IS NULL AND request_bytes IS NULL AND response_bytes IS NULL FROM usage_records WHERE request_id = 'before'"));
    }

    /// <summary>A migrator as the service builds one, on <paramref name="dataSource"/>.</summary>
    internal static UsageDbMigrator CreateMigrator(NpgsqlDataSource dataSource) =>
        new(new PooledDbContextFactory<UsageDbContext>(new DbContextOptionsBuilder<UsageDbContext>().UseNpgsql(dataSource).Options),
            NullLogger<UsageDbMigrator>.Instance);

    private static async Task<long> CountAppliedAsync(NpgsqlDataSource dataSource) =>
        await ScalarAsync<bool>(dataSource, """SELECT to_regclass('"__EFMigrationsHistory"') IS NOT NULL""")
            ? await ScalarAsync<long>(dataSource, """SELECT count(*) FROM "__EFMigrationsHistory" """)
            : 0;

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
