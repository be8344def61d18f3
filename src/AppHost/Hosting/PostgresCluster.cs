using Microsoft.Extensions.Logging;
using Npgsql;

namespace AiPlatform.AppHost.Hosting;

/// <summary>The steps around a local Postgres that the orchestrator does not know: the cluster's creation and its databases.</summary>
internal static class PostgresCluster
{
    /// <summary>
    /// Runs <c>initdb</c> when the folder holds no cluster yet; refuses a cluster of another major version, whose data
    /// the installed server cannot read.
    /// </summary>
    public static async Task InitializeAsync(
        PostgresStorage storage, PostgresBinaries binaries, string superUserPassword, ILogger logger, CancellationToken cancellationToken)
    {
        var versionFile = Path.Combine(storage.DataDirectory, "PG_VERSION");
        if (File.Exists(versionFile))
        {
            var version = (await File.ReadAllTextAsync(versionFile, cancellationToken)).Trim();
            if (binaries.MajorVersion > 0 && version != $"{binaries.MajorVersion}")
            {
                throw new DistributedApplicationException(
                    $"The Postgres data in {storage.DataDirectory} was created by PostgreSQL {version}, but the installed server is " +
                    $"{binaries.MajorVersion}. Install postgresql-{version}, or delete that folder to start afresh (its data is lost).");
            }

            return;
        }

        // Created here, by the AppHost, and handed over: initdb cannot create it in a folder the postgres user cannot write.
        // The password file sits beside the cluster folder, which initdb wants empty.
        Directory.CreateDirectory(storage.DataDirectory);
        File.SetUnixFileMode(storage.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var passwordFile = storage.DataDirectory + ".initdb-password";
        await File.WriteAllTextAsync(passwordFile, superUserPassword, cancellationToken);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            if (Tools.IsRoot)
            {
                await RunAsync("chown", [$"{PostgresStorage.OsUser}:{PostgresStorage.OsUser}", storage.DataDirectory, passwordFile], logger, cancellationToken);
            }

            AppHostLog.CreatingCluster(logger, binaries.MajorVersion, storage.DataDirectory);
            var (command, arguments) = PostgresStorage.AsServerUser(
            [
                binaries.Initdb,
                "-D", storage.DataDirectory,
                "-U", LocalPostgresServerResource.SuperUser,
                // The password travels in a file, not on the command line, where ps would show it.
                $"--pwfile={passwordFile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--no-locale",
            ]);
            await RunAsync(command, arguments, logger, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    public static async Task CreateDatabaseIfMissingAsync(NpgsqlConnection connection, string databaseName, ILogger logger, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", databaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        // Identifiers cannot be parameters; the name is quoted, with any quote in it doubled.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
            AppHostLog.CreatedDatabase(logger, databaseName);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created meanwhile by someone else: what was wanted.
        }
    }

    private static async Task RunAsync(string command, IEnumerable<string> arguments, ILogger logger, CancellationToken cancellationToken)
    {
        using var process = ToolProcess.Start(command, arguments);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        foreach (var line in (await output + await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            AppHostLog.ToolOutput(logger, line);
        }

        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException($"{Path.GetFileName(command)} failed with exit code {process.ExitCode}; its output is in this resource's log.");
        }
    }
}
