using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Processes;
using AiPlatform.AppHost.Orchestration.Storage;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>Runs SQL on a local server with psql, as its superuser over the Unix socket (local connections are trusted).</summary>
internal static class PostgresSql
{
    public static async Task RunAsync(
        RunContext context, PostgresStorage storage, PostgresServerResource server, string database, string sql, CancellationToken cancellationToken)
    {
        var result = await Command.RunAsync(context.Tools.Postgres!.Psql,
            [
                "--no-psqlrc", "--quiet",
                "--set", "ON_ERROR_STOP=1",
                "--host", storage.SocketDirectory,
                "--port", $"{server.Port}",
                "--username", PostgresServerResource.SuperUser,
                "--dbname", database,
                "--file", "-",
            ],
            context.ProcessEnvironment, standardInput: sql, cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new StartupException($"psql on {server.Name} failed with exit code {result.ExitCode}: {result.Output.Trim()}");
        }
    }
}
