namespace AiPlatform.Testing;

/// <summary>Starting a server binary on a loopback port until it answers, and stopping it: what every server fixture does.</summary>
internal static class ServerProcess
{
    /// <summary>
    /// Starts the server: again on <paramref name="port"/> if it had one, otherwise on the first of up to
    /// <paramref name="attempts"/> free ports it manages to bind (another process may take one first).
    /// <paramref name="tryStart"/> returns false when the port was taken. Returns the port.
    /// </summary>
    public static async Task<int> StartOnPortAsync(string serverName, int port, int attempts, Func<int, Task<bool>> tryStart)
    {
        if (port != 0)
        {
            if (!await tryStart(port))
            {
                throw new InvalidOperationException(
                    $"Cannot restart {serverName}: port {port} was taken by another process while it was stopped.");
            }

            return port;
        }

        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var candidate = FreePort.Next();
            if (await tryStart(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{serverName} could not bind a free port in {attempts} attempts (each was taken before it started).");
    }

    /// <summary>
    /// Starts <paramref name="command"/> and waits (<see cref="Readiness.WaitAsync"/>) until <paramref name="probe"/>
    /// succeeds. Returns the running server, or null if it exited because <paramref name="port"/> was taken.
    /// </summary>
    public static async Task<ChildProcess?> StartAsync(
        LaunchCommand command,
        string? workingDirectory,
        string serverName,
        int port,
        Func<CancellationToken, Task> probe,
        TimeSpan readyTimeout)
    {
        var process = ChildProcess.Start(command.FileName, command.Arguments, workingDirectory);
        try
        {
            if (await Readiness.WaitAsync(process, serverName, port, probe, readyTimeout))
            {
                return process;
            }
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        await process.DisposeAsync();
        return null;
    }

    /// <summary>Stops <paramref name="process"/> with <paramref name="signal"/> (killing it after <paramref name="timeout"/>) and disposes it, whatever happens.</summary>
    public static async Task StopAsync(ChildProcess process, int signal, TimeSpan timeout)
    {
        try
        {
            await process.StopAsync(signal, timeout);
        }
        finally
        {
            await process.DisposeAsync();
        }
    }
}
