using System.Diagnostics;
using System.Text;

namespace AiPlatform.AppHost.Orchestration.Processes;

/// <summary>The outcome of a short-lived command: its exit code and everything it wrote, stdout and stderr merged.</summary>
internal sealed record CommandResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs short-lived helper commands (initdb, psql, pg_isready) to completion, without a shell.</summary>
internal static class Command
{
    /// <param name="fileName">Full path of the program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">Variables set on top of the AppHost's own environment.</param>
    /// <param name="workingDirectory">Its current directory; null keeps the AppHost's.</param>
    /// <param name="standardInput">Text written to its stdin, which is then closed; keeps secrets off the command line.</param>
    /// <param name="onLine">Called with each line as it is written, to show progress of slow commands.</param>
    /// <param name="cancellationToken">Kills the command when cancelled.</param>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null,
        string? standardInput = null,
        Action<string>? onLine = null,
        CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        var output = new StringBuilder();
        void OnData(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }

                onLine?.Invoke(line);
            }
        }

        process.OutputDataReceived += OnData;
        process.ErrorDataReceived += OnData;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        lock (output)
        {
            return new CommandResult(process.ExitCode, output.ToString());
        }
    }
}
