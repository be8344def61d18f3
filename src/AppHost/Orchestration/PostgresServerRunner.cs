using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Output;
using AiPlatform.AppHost.Orchestration.Processes;
using AiPlatform.AppHost.Orchestration.Storage;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>
/// A local PostgreSQL: <c>initdb</c> once into the data folder, then <c>postgres</c> in the foreground (rather than
/// <c>pg_ctl</c>, which daemonizes), so the pid we hold is the postmaster's and its output is ours.
/// </summary>
internal sealed class PostgresServerRunner(PostgresServerResource server, RunContext context, PostgresStorage storage) : IResourceRunner
{
    /// <summary>A fast shutdown rolls back open transactions and checkpoints; a busy disk can make that take a while.</summary>
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(30);

    private ChildProcess? _process;

    public Resource Resource => server;

    public int StopPhase => 1;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);

        var (fileName, arguments) = context.AsPostgresUser(context.Tools.Postgres!.Postgres,
        [
            "-D", storage.DataDirectory,
            "-p", $"{server.Port}",
            "-c", $"listen_addresses={EnvironmentContext.LoopbackHost}",
            "-c", $"unix_socket_directories={storage.SocketDirectory}",
        ]);
        _process = context.Start(new ProcessSpec(server.Name, fileName, arguments, storage.DataDirectory, context.ProcessEnvironment));

        await context.WaitUntilReadyAsync(
            _process, $"pg_isready on {EnvironmentContext.LoopbackHost}:{server.Port} never reported it accepting connections",
            IsAcceptingConnectionsAsync, cancellationToken);

        // Set on every start, so the password file is the truth even when it was deleted or the cluster is older.
        // The password travels on stdin, not the command line, where ps would show it.
        await PostgresSql.RunAsync(context, storage, server, "postgres",
            $"ALTER ROLE {PostgresServerResource.SuperUser} WITH PASSWORD '{storage.Password}';", cancellationToken);
    }

    /// <summary>SIGINT is Postgres's fast shutdown: it ends sessions, checkpoints and exits cleanly.</summary>
    public Task StopAsync() => _process?.StopAsync(Libc.SigInt, s_stopGrace) ?? Task.CompletedTask;

    public IEnumerable<StatusRow> Status() =>
        [new StatusRow(server.Name, StatusRow.StateOf(_process, "running"), $"{EnvironmentContext.LoopbackHost}:{server.Port}", _process?.Pid)];

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var binaries = context.Tools.Postgres!;
        var versionFile = Path.Combine(storage.DataDirectory, "PG_VERSION");
        if (File.Exists(versionFile))
        {
            var version = File.ReadAllText(versionFile).Trim();
            if (binaries.MajorVersion > 0 && version != $"{binaries.MajorVersion}")
            {
                throw new StartupException(
                    $"The Postgres data in {storage.DataDirectory} was created by PostgreSQL {version}, but the installed server is " +
                    $"{binaries.MajorVersion}. Install postgresql-{version}, or delete that folder to start afresh (its data is lost).");
            }

            return;
        }

        // The folder is created here, by root, and handed over: initdb cannot create it in a folder the postgres user cannot write.
        Directory.CreateDirectory(storage.DataDirectory);
        File.SetUnixFileMode(storage.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (context.IsRoot)
        {
            var chown = await Command.RunAsync("chown", [$"{PostgresStorage.OsUser}:{PostgresStorage.OsUser}", storage.DataDirectory],
                context.ProcessEnvironment, cancellationToken: cancellationToken);
            if (!chown.Succeeded)
            {
                throw new StartupException($"Could not give {storage.DataDirectory} to the {PostgresStorage.OsUser} user: {chown.Output.Trim()}");
            }
        }

        context.Reporter.Info($"Creating a PostgreSQL {binaries.MajorVersion} cluster in {storage.DataDirectory} (first start only).");
        var (fileName, arguments) = context.AsPostgresUser(binaries.Initdb,
        [
            "-D", storage.DataDirectory,
            "-U", PostgresServerResource.SuperUser,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",
        ]);
        var result = await Command.RunAsync(fileName, arguments, context.ProcessEnvironment, workingDirectory: "/",
            onLine: line => context.Reporter.ResourceLine(server.Name, line), cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new StartupException($"initdb failed with exit code {result.ExitCode} for {storage.DataDirectory}; its output is above.");
        }
    }

    private async Task<bool> IsAcceptingConnectionsAsync(CancellationToken cancellationToken)
    {
        var result = await Command.RunAsync(context.Tools.Postgres!.PgIsReady,
            ["-h", EnvironmentContext.LoopbackHost, "-p", $"{server.Port}", "-t", "2"],
            context.ProcessEnvironment, cancellationToken: cancellationToken);
        return result.Succeeded;
    }
}
