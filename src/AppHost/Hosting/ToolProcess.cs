using System.Diagnostics;

namespace AiPlatform.AppHost.Hosting;

/// <summary>The short-lived programs the AppHost runs itself around a local server (initdb, chown, test).</summary>
internal static class ToolProcess
{
    /// <summary>
    /// Starts <paramref name="command"/> with its output captured, in <c>/</c>: a folder every user may enter, as the
    /// program may run as another user (setpriv) who cannot enter the AppHost's own.
    /// </summary>
    public static Process Start(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{command} could not be started.");
    }
}
