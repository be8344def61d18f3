using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AiPlatform.Testing;

/// <summary>
/// A process a test starts (a server, or a tool such as initdb): its output is kept as a ring of the
/// last lines for error messages, it can be sent POSIX signals for graceful stops, and it never
/// outlives the test run: disposing kills it if it still runs, and so does the test host's exit.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    public const int SigInt = Libc.SigInt;
    public const int SigKill = Libc.SigKill;
    public const int SigTerm = Libc.SigTerm;
    public const int DefaultOutputLines = 50;

    private static readonly TimeSpan s_killWait = TimeSpan.FromSeconds(5);

    // A parent-death signal (setpriv --pdeathsig, see LaunchCommand) fires when the *thread* that
    // forked the child exits, not the process. Thread-pool threads retire when idle, which would
    // kill servers in the middle of a run, so every child is forked from this one thread that lives
    // as long as the test host.
    private static readonly BlockingCollection<Action> s_forkQueue = StartForkThread();

    private readonly Process _process;
    private readonly OutputRing _output;
    private readonly IDisposable _exitCleanup;
    private bool _disposed;

    private ChildProcess(Process process, OutputRing output, string commandLine)
    {
        _process = process;
        _output = output;
        CommandLine = commandLine;
        Id = process.Id;
        _exitCleanup = ProcessExitCleanup.Register(KillAtExit);
    }

    /// <summary>Process id; with setpriv in front this is still the server, because setpriv execs.</summary>
    public int Id { get; }

    /// <summary>The command line, for messages.</summary>
    public string CommandLine { get; }

    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>A snapshot of the last lines the process wrote to stdout and stderr.</summary>
    public IReadOnlyList<string> LastOutputLines => _output.Snapshot();

    /// <summary>Starts <paramref name="fileName"/> with stdout and stderr captured.</summary>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        int outputLines = DefaultOutputLines)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Our stdin would otherwise be shared with the server; it has no use for it.
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new OutputRing(outputLines);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AddLine(output, e.Data);
        process.ErrorDataReceived += (_, e) => AddLine(output, e.Data);

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s_forkQueue.Add(() =>
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        });

        try
        {
            // Blocking is fine: the fork thread only ever runs Process.Start, which takes milliseconds.
            started.Task.GetAwaiter().GetResult();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var commandLine = string.Join(' ', [fileName, .. startInfo.ArgumentList]);
        return new ChildProcess(process, output, commandLine);
    }

    /// <summary>
    /// Runs a short-lived tool to completion and throws, with its output, if it fails or takes longer
    /// than <paramref name="timeout"/>.
    /// </summary>
    public static async Task RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null)
    {
        await using var process = Start(fileName, arguments, workingDirectory);
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(timeout);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"{e.Message}{Environment.NewLine}{process.DescribeOutput()}", e);
        }

        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{process.CommandLine}` failed with exit code {exitCode}.{Environment.NewLine}{process.DescribeOutput()}");
        }
    }

    /// <summary>
    /// Waits until the process has exited and returns its exit code; throws
    /// <see cref="TimeoutException"/> if it still runs after <paramref name="timeout"/>.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            // Also waits for the end of the captured output, so the ring is complete afterwards.
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // A grandchild (a Postgres backend) can keep the output pipe open after the process
            // itself is gone; that is an exit, not a hang.
            if (!_process.HasExited)
            {
                throw new TimeoutException(
                    $"`{CommandLine}` (pid {Id}) did not exit within {timeout.TotalSeconds:0.#} s.");
            }
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// Sends a POSIX signal (<see cref="SigTerm"/>, <see cref="SigInt"/>, ...), the way servers are
    /// asked to shut down cleanly. Does nothing if the process has already exited.
    /// </summary>
    public void SendSignal(int signal)
    {
        if (HasExited)
        {
            return;
        }

        if (Libc.kill(Id, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.Esrch)
            {
                throw new InvalidOperationException($"kill({Id}, {signal}) failed with errno {errno}.");
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/>, waits up to <paramref name="grace"/> for the process to exit,
    /// and kills it (with its children) if it has not; returns the exit code.
    /// </summary>
    public async Task<int> StopAsync(int signal, TimeSpan grace)
    {
        SendSignal(signal);
        try
        {
            return await WaitForExitAsync(grace);
        }
        catch (TimeoutException)
        {
            Kill();
            return await WaitForExitAsync(s_killWait);
        }
    }

    /// <summary>SIGKILL to the process and its children (Postgres backends included).</summary>
    public void Kill()
    {
        if (HasExited)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    /// <summary>The last output lines, formatted for an exception message.</summary>
    public string DescribeOutput()
    {
        var lines = LastOutputLines;
        return lines.Count == 0
            ? "(no output)"
            : $"Last {lines.Count} output lines:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", lines)}";
    }

    /// <summary>Kills the process if it still runs, then releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        if (!_process.HasExited)
        {
            Kill();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(s_killWait);
            }
            catch (TimeoutException)
            {
                // Reaped by the runtime later; the signal has been sent.
            }
        }

        _disposed = true;
        _exitCleanup.Dispose();
        _process.Dispose();
    }

    private void KillAtExit()
    {
        Kill();
        _process.WaitForExit(s_killWait);
    }

    private static void AddLine(OutputRing output, string? line)
    {
        if (line is not null)
        {
            output.Add(line);
        }
    }

    private static BlockingCollection<Action> StartForkThread()
    {
        var queue = new BlockingCollection<Action>();
        var thread = new Thread(() =>
        {
            foreach (var fork in queue.GetConsumingEnumerable())
            {
                fork();
            }
        })
        {
            // Must not keep the test host alive; when the host exits, the kernel sends the death signals.
            IsBackground = true,
            Name = "AiPlatform.Testing child process starter",
        };
        thread.Start();
        return queue;
    }
}
