using System.Diagnostics;
using AiPlatform.AppHost.Orchestration.Output;

namespace AiPlatform.AppHost.Orchestration.Processes;

/// <summary>
/// A long-running process of a resource. It is started through <c>setsid</c>, which execs the program as the leader of
/// a new session: the pid we hold is the program's, a terminal's Ctrl+C reaches only the AppHost (which then stops
/// children in order), and the process group can be killed as a whole, so nothing it started is left behind.
/// </summary>
internal sealed class ChildProcess
{
    private const int TailLines = 20;

    private readonly Process _process;
    private readonly OutputTail _tail = new(TailLines);

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    /// <summary>Completes with the exit code once the process ended and its output was read to the end.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    public OutputTail Tail => _tail;

    public static ChildProcess Start(ProcessSpec spec, string setsid, ConsoleReporter reporter)
    {
        var startInfo = new ProcessStartInfo(setsid)
        {
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            startInfo.Environment[name] = value;
        }

        var child = new ChildProcess(spec.Name, new Process { StartInfo = startInfo });
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                child._tail.Add(line);
                reporter.ResourceLine(spec.Name, line);
            }
        }

        child._process.OutputDataReceived += OnLine;
        child._process.ErrorDataReceived += OnLine;
        child._process.Start();

        // Without a terminal of its own, a child that reads stdin gets end-of-file rather than stealing the AppHost's input.
        child._process.StandardInput.Close();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        child.Exited = child.WaitForExitAsync();
        return child;
    }

    /// <summary>
    /// Sends <paramref name="signal"/> and waits up to <paramref name="grace"/> for the process to end, then kills it.
    /// Either way, whatever is left in its process group is killed after it.
    /// </summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (!Exited.IsCompleted)
        {
            Signal(signal);
            if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
            {
                KillGroup();
            }
        }

        KillGroup();
        await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
    }

    public void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            Libc.kill(Pid, signal);
        }
    }

    /// <summary>SIGKILL to the whole session group; ESRCH (the group is already gone) is the expected case.</summary>
    public void KillGroup() => Libc.kill(-Pid, Libc.SigKill);

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }
}
