using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Output;
using AiPlatform.AppHost.Orchestration.Storage;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>Creates a database on a local server when it is missing; ready once it exists. It has no process of its own.</summary>
internal sealed class PostgresDatabaseRunner(PostgresDatabaseResource database, RunContext context, PostgresStorage storage) : IResourceRunner
{
    private bool _ready;

    public Resource Resource => database;

    public int StopPhase => 1;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // CREATE DATABASE cannot run inside a DO block or a function, so psql's \gexec runs the statement the query yields, if any.
        var sql = $"SELECT 'CREATE DATABASE {database.DatabaseName}' WHERE NOT EXISTS " +
                  $"(SELECT FROM pg_database WHERE datname = '{database.DatabaseName}')\\gexec\n";
        await PostgresSql.RunAsync(context, storage, database.Server, "postgres", sql, cancellationToken);
        _ready = true;
        context.Reporter.Info($"{database.Name} is ready (database {database.DatabaseName} on {database.Server.Name}).");
    }

    public Task StopAsync() => Task.CompletedTask;

    public IEnumerable<StatusRow> Status() =>
    [
        new StatusRow(database.Name, _ready ? "ready" : "not created",
            $"{EnvironmentContext.LoopbackHost}:{database.Server.Port}/{database.DatabaseName}", null),
    ];
}
