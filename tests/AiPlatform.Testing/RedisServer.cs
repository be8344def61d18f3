using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace AiPlatform.Testing;

/// <summary>
/// A real <c>redis-server</c> (Debian package) on a free loopback port, without persistence, in its
/// own temp folder: the part Testcontainers would play where Docker exists.
/// </summary>
/// <remarks>
/// Use it as an xunit fixture: <c>IClassFixture&lt;RedisServer&gt;</c>, or
/// <c>ICollectionFixture&lt;RedisServer&gt;</c> on a <c>[CollectionDefinition]</c> class. xunit only
/// discovers collection definitions in the test assembly itself, so each test project declares its
/// own collection; this library cannot. Tests may <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> the server to simulate an outage; it comes back on the same port (empty,
/// since nothing is saved), so clients created with <see cref="ConnectionString"/> reconnect.
/// </remarks>
public sealed class RedisServer : IAsyncLifetime
{
    private const int PortAttempts = 3;
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private string? _directory;
    private IDisposable? _directoryCleanup;
    private ChildProcess? _process;
    private bool _disposed;

    /// <summary>The TCP port on 127.0.0.1; 0 before the first start, then fixed for the fixture's life.</summary>
    public int Port { get; private set; }

    /// <summary>
    /// StackExchange.Redis configuration string. <c>abortConnect=false</c> lets a multiplexer be
    /// created while the server is stopped and reconnect when it is back.
    /// </summary>
    public string ConnectionString => $"127.0.0.1:{RequirePort()},abortConnect=false";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>xunit: starts the server before the first test that uses the fixture.</summary>
    public Task InitializeAsync() => StartAsync();

    /// <summary>
    /// Starts the server and waits until it answers PING. The first start picks a free port (trying
    /// up to 3 ports, in case another process takes one first); later starts reuse that port.
    /// Does nothing if it already runs.
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

            var binary = Executable.FindOnPath("redis-server")
                ?? throw new InvalidOperationException(
                    "redis-server was not found on PATH. Install it with: apt-get install -y redis-server");

            if (_directory is null)
            {
                _directory = TempDirectory.Create("redis");
                var directory = _directory;
                _directoryCleanup = ProcessExitCleanup.Register(() => TempDirectory.Delete(directory));
            }

            Port = await ServerProcess.StartOnPortAsync("redis-server", Port, PortAttempts, port => TryStartAsync(binary, port));
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops the server gracefully (SIGTERM; nothing is saved) and waits until it has exited, so the
    /// port is closed when this returns. Does nothing if it is not running.
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

    /// <summary>xunit: stops the server and deletes its folder, whatever the tests did.</summary>
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

    private async Task<bool> TryStartAsync(string binary, int port)
    {
        string[] arguments =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            // Tests want a clean, fast server: no RDB snapshots, no append-only file.
            "--save", "",
            "--appendonly", "no",
            "--dir", _directory!,
            // Foreground, so the pid we hold is the server and its output reaches us.
            "--daemonize", "no",
        ];
        // Redis keeps no state worth a clean shutdown, so if the test host dies it gets SIGKILL.
        var command = LaunchCommand.Create(binary, arguments, runAsUser: null, parentDeathSignal: "SIGKILL");
        var process = await ServerProcess.StartAsync(
            command, _directory, "redis-server", port, cancellation => PingAsync(port, cancellation), s_readyTimeout);
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
            await ServerProcess.StopAsync(_process, ChildProcess.SigTerm, s_stopTimeout);
        }
        finally
        {
            _process = null;
        }
    }

    // A bare RESP PING over a socket: readiness must not depend on a client library's reconnect logic.
    private static async Task PingAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_probeTimeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var reply = Encoding.ASCII.GetString(buffer, 0, read);
        if (!reply.StartsWith("+PONG", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"PING answered '{reply.TrimEnd()}'.");
        }
    }

    private int RequirePort() =>
        Port != 0 ? Port : throw new InvalidOperationException("RedisServer has not been started yet.");
}
