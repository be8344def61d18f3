using AiPlatform.Testing;
using AiPlatform.UsageApi.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AiPlatform.UsageApi.Tests.Migrations;

public sealed class MigrationRunnerTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly IReadOnlyList<Migration> s_migrations = MigrationCatalog.Load();

    [Fact]
    public void Catalog_ScriptsEmbedded_LoadsThemInVersionOrder()
    {
        Assert.NotEmpty(s_migrations);
        Assert.Equal(s_migrations.OrderBy(m => m.Version).Select(m => m.Version), s_migrations.Select(m => m.Version));
        Assert.Equal(1, s_migrations[0].Version);
    }

    [Fact]
    public async Task Apply_Twice_SecondRunIsNoOp()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);

        var first = await runner.ApplyAsync(s_migrations, CancellationToken.None);
        var second = await runner.ApplyAsync(s_migrations, CancellationToken.None);

        Assert.Equal(s_migrations.Count, first);
        Assert.Equal(0, second);
        Assert.Equal(s_migrations.Count, await CountAppliedAsync(dataSource));
    }

    [Fact]
    public async Task Apply_ConcurrentRunners_BothSucceedAndEachScriptRunsOnce()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var sourceA = NpgsqlDataSource.Create(connectionString);
        await using var sourceB = NpgsqlDataSource.Create(connectionString);
        var runnerA = new MigrationRunner(sourceA, NullLogger<MigrationRunner>.Instance);
        var runnerB = new MigrationRunner(sourceB, NullLogger<MigrationRunner>.Instance);

        var results = await Task.WhenAll(
            Task.Run(() => runnerA.ApplyAsync(s_migrations, CancellationToken.None)),
            Task.Run(() => runnerB.ApplyAsync(s_migrations, CancellationToken.None)));

        Assert.Equal(s_migrations.Count, results.Sum());
        Assert.Equal(s_migrations.Count, await CountAppliedAsync(sourceA));
    }

    [Fact]
    public async Task Apply_ScriptEditedAfterApplied_ThrowsNamingTheMigration()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);
        await runner.ApplyAsync(s_migrations, CancellationToken.None);
        var edited = s_migrations.Select((m, i) => i == 0 ? m with { Sql = m.Sql + "\n-- edited" } : m).ToList();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.ApplyAsync(edited, CancellationToken.None));

        Assert.Contains($"Migration {s_migrations[0].Version}", error.Message);
    }

    [Fact]
    public async Task Apply_FailingScript_LeavesNothingOfItBehind()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);
        var broken = new Migration(9001, "broken", "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;");

        await Assert.ThrowsAsync<PostgresException>(() => runner.ApplyAsync([broken], CancellationToken.None));

        await using var command = dataSource.CreateCommand("SELECT to_regclass('half_done') IS NULL");
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
        Assert.Equal(0, await CountAppliedAsync(dataSource));
    }

    private static async Task<long> CountAppliedAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
