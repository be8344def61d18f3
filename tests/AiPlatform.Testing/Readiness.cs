namespace AiPlatform.Testing;

/// <summary>Waits for a freshly started server to answer, and explains why when it does not.</summary>
internal static class Readiness
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_exitWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Polls <paramref name="probe"/> (which throws while the server is not ready) until it succeeds.
    /// Returns false if the server exited because its port was taken, so the caller can retry with
    /// another port. Otherwise, on exit or timeout, kills the server and throws with its last output.
    /// </summary>
    public static async Task<bool> WaitAsync(
        ChildProcess process,
        string serverName,
        int port,
        Func<CancellationToken, Task> probe,
        TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        string? lastProbeError = null;
        while (true)
        {
            if (process.HasExited)
            {
                var exitCode = await WaitForOutputAsync(process);
                if (process.LastOutputLines.Any(line => line.Contains("Address already in use", StringComparison.Ordinal)))
                {
                    return false;
                }

                throw new InvalidOperationException(
                    $"{serverName} on port {port} exited with code {exitCode} while starting.{Environment.NewLine}" +
                    $"Command: {process.CommandLine}{Environment.NewLine}{process.DescribeOutput()}");
            }

            try
            {
                await probe(deadline.Token);
                return true;
            }
            catch (Exception e)
            {
                // Not ready yet: connection refused, "the database system is starting up", ...
                lastProbeError = e.Message;
            }

            if (deadline.IsCancellationRequested)
            {
                if (process.HasExited)
                {
                    // It died at the last moment: report that (or retry the port) rather than a timeout.
                    continue;
                }

                await process.DisposeAsync();
                throw new TimeoutException(
                    $"{serverName} did not accept connections on 127.0.0.1:{port} within {timeout.TotalSeconds:0} s " +
                    $"(last attempt: {lastProbeError}).{Environment.NewLine}" +
                    $"Command: {process.CommandLine}{Environment.NewLine}{process.DescribeOutput()}");
            }

            await Task.Delay(s_pollInterval, CancellationToken.None);
        }
    }

    private static async Task<int?> WaitForOutputAsync(ChildProcess process)
    {
        try
        {
            return await process.WaitForExitAsync(s_exitWait);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
