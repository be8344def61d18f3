using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit;

namespace AiPlatform.Testing;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c> package) with its own throwaway cluster in
/// /tmp/aiplatform-pg-*/data, on a free loopback port: the part Testcontainers would play where Docker
/// exists. Durability is switched off (fsync, synchronous_commit, full_page_writes) for speed.
/// </summary>
/// <remarks>
/// Use it as an xunit fixture: <c>IClassFixture&lt;PostgresServer&gt;</c>, or
/// <c>ICollectionFixture&lt;PostgresServer&gt;</c> on a <c>[CollectionDefinition]</c> class. xunit only
/// discovers collection definitions in the test assembly itself, so each test project declares its
/// own collection; this library cannot. Give each test class its own database with
/// <see cref="CreateDatabaseAsync"/>. Tests may <see cref="StopAsync"/> and <see cref="StartAsync"/>
/// the server to simulate an outage; it comes back on the same port with the same data.
/// </remarks>
public sealed partial class PostgresServer : IAsyncLifetime
{
    private const int PortAttempts = 3;
    private const string PostgresUser = "postgres";
    private const string BinariesRoot = "/usr/lib/postgresql";
    private static readonly TimeSpan s_setupTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private string? _directory;
    private string? _dataDirectory;
    private IDisposable? _directoryCleanup;
    private bool _clusterCreated;
    private ChildProcess? _process;
    private bool _disposed;

    /// <summary>The TCP port on 127.0.0.1; 0 before the first start, then fixed for the fixture's life.</summary>
    public int Port { get; private set; }

    /// <summary>The cluster's data folder (also holds the Unix socket); its parent is deleted on dispose.</summary>
    public string DataDirectory => _dataDirectory ?? throw NotStarted();

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// Superuser connection to the <c>postgres</c> database, without pooling, for setup work such as
    /// creating databases; tests should use <see cref="CreateDatabaseAsync"/> for their own data.
    /// </summary>
    public string AdminConnectionString => BuildConnectionString("postgres", pooling: false);

    /// <summary>Superuser connection string for <paramref name="database"/> (pooled, like an application's).</summary>
    public string ConnectionStringFor(string database) => BuildConnectionString(database, pooling: true);

    /// <summary>xunit: creates the cluster and starts the server before the first test that uses the fixture.</summary>
    public Task InitializeAsync() => StartAsync();

    /// <summary>
    /// Starts the server (creating the cluster on the first start) and waits until it accepts
    /// queries. The first start picks a free port (trying up to 3 ports, in case another process
    /// takes one first); later starts reuse that port and data. Does nothing if it already runs.
    /// </summary>
    public async Task StartAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsRunning)
            {
                return;
            }

            var binaries = FindBinaries();
            // initdb and postgres refuse to run as root; these machines run tests as root.
            var runAsUser = Libc.IsRoot ? PostgresUser : null;
            if (!_clusterCreated)
            {
                await CreateClusterAsync(binaries, runAsUser);
                _clusterCreated = true;
            }

            Port = await ServerProcess.StartOnPortAsync("postgres", Port, PortAttempts, port => TryStartAsync(binaries, runAsUser, port));
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops the server with a fast shutdown (SIGINT: sessions are ended, data is kept), killing it
    /// after 30 s; returns once it has exited. Does nothing if it is not running.
    /// </summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            await StopCoreAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Creates an empty database (named <c>db_&lt;guid&gt;</c> unless <paramref name="name"/> is given:
    /// letters, digits and underscores) and returns its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= $"db_{Guid.NewGuid():N}";
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a plain database name (a letter or underscore, then letters, digits, underscores; at most 63).",
                nameof(name));
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>xunit: stops the server and deletes its cluster folder, whatever the tests did.</summary>
    public async Task DisposeAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                await StopCoreAsync();
            }
            finally
            {
                if (_directory is not null)
                {
                    TempDirectory.Delete(_directory);
                    _directoryCleanup?.Dispose();
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task CreateClusterAsync(PostgresBinaries binaries, string? runAsUser)
    {
        if (_directory is null)
        {
            _directory = TempDirectory.Create("pg");
            var directory = _directory;
            _directoryCleanup = ProcessExitCleanup.Register(() => TempDirectory.Delete(directory));
        }

        // A subfolder, because initdb wants an empty folder and ours holds the owner marker.
        var dataDirectory = Path.Combine(_directory, "data");
        // Left over from a failed initdb on an earlier start attempt.
        TempDirectory.Delete(dataDirectory);

        if (runAsUser is not null)
        {
            await ChildProcess.RunAsync(
                Executable.FindOnPath("chown") ?? "chown",
                ["-R", $"{runAsUser}:{runAsUser}", _directory],
                s_setupTimeout);
        }

        // Trust authentication on a loopback-only, throwaway cluster; --no-sync because nothing here
        // must survive a machine crash; the C locale so results do not depend on the machine's locale.
        string[] arguments = ["-D", dataDirectory, "-A", "trust", "-U", PostgresUser, "--no-sync", "-E", "UTF8", "--no-locale"];
        var command = LaunchCommand.Create(binaries.InitDb, arguments, runAsUser, parentDeathSignal: "SIGKILL");
        await ChildProcess.RunAsync(command.FileName, command.Arguments, s_setupTimeout, _directory);
        _dataDirectory = dataDirectory;
    }

    private async Task<bool> TryStartAsync(PostgresBinaries binaries, string? runAsUser, int port)
    {
        string[] arguments =
        [
            "-D", _dataDirectory!,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            // Our own socket folder, so instances never collide with each other or a system server.
            "-c", $"unix_socket_directories={_dataDirectory}",
            "-c", "fsync=off",
            "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off",
            // Parallel test classes with pooled connections need more than the default 100.
            "-c", "max_connections=200",
        ];
        // If the test host dies, SIGQUIT: an immediate shutdown that also ends the backends.
        var command = LaunchCommand.Create(binaries.Postgres, arguments, runAsUser, parentDeathSignal: "SIGQUIT");
        var probeConnectionString = new NpgsqlConnectionStringBuilder(BuildConnectionString("postgres", pooling: false, port))
        {
            Timeout = 2,
        }.ConnectionString;
        // The postmaster runs in the foreground as our child (no pg_ctl), so we hold its pid and its output.
        var process = await ServerProcess.StartAsync(
            command, _directory, "postgres", port, cancellation => ProbeAsync(probeConnectionString, cancellation), s_readyTimeout);
        if (process is null)
        {
            return false;
        }

        _process = process;
        return true;
    }

    private async Task StopCoreAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            await ServerProcess.StopAsync(_process, ChildProcess.SigInt, s_stopTimeout);
        }
        finally
        {
            _process = null;
            // Pooled connections now point at a dead server; without this, the next test to open one
            // would get a broken connection. (NpgsqlDataSource instances keep their own pools.)
            NpgsqlConnection.ClearAllPools();
        }
    }

    private static async Task ProbeAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private string BuildConnectionString(string database, bool pooling, int? port = null) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port ?? (Port != 0 ? Port : throw NotStarted()),
            Username = PostgresUser,
            Database = database,
            Pooling = pooling,
            // Tests read server error details in failure messages; there are no secrets here.
            IncludeErrorDetail = true,
        }.ConnectionString;

    /// <summary>Debian installs each major version under /usr/lib/postgresql/N/bin, off PATH; take the newest.</summary>
    private static PostgresBinaries FindBinaries()
    {
        var newest = (Directory.Exists(BinariesRoot) ? Directory.GetDirectories(BinariesRoot) : [])
            .Select(directory => (Version: ParseVersion(Path.GetFileName(directory)), Bin: Path.Combine(directory, "bin")))
            .Where(candidate => candidate.Version is not null
                && File.Exists(Path.Combine(candidate.Bin, "postgres"))
                && File.Exists(Path.Combine(candidate.Bin, "initdb")))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"PostgreSQL server binaries (initdb, postgres) were not found under {BinariesRoot}/*/bin. " +
                "Install them with: apt-get install -y postgresql");
        return new PostgresBinaries(Path.Combine(newest, "initdb"), Path.Combine(newest, "postgres"));
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.') ? name : $"{name}.0", out var version) ? version : null;

    private static InvalidOperationException NotStarted() => new("PostgresServer has not been started yet.");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();

    private sealed record PostgresBinaries(string InitDb, string Postgres);
}
