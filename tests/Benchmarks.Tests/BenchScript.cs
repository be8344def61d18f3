using System.Diagnostics;
using AiPlatform.Testing;
using Xunit.Abstractions;

namespace AiPlatform.Benchmarks.Tests;

/// <summary>Runs one of bench/'s scripts to its end, as the smoke tests do, and gives its last output lines.</summary>
internal static class BenchScript
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>
    /// Runs <c>bench/<paramref name="script"/></c> with <paramref name="arguments"/> (plus <c>--no-build</c>: the test
    /// command built the services already, in this configuration, see the project references) and fails unless it exits
    /// with 0 within <paramref name="timeout"/>. A script that overruns gets TERM, so that its trap stops its servers by PID
    /// before the process tree is killed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RunAsync(string script, string[] arguments, TimeSpan timeout, ITestOutputHelper output)
    {
        string[] all = [Path.Combine(RepositoryRoot.Path, "bench", script), .. arguments, "--no-build", "--configuration", Configuration];
        var stopwatch = Stopwatch.StartNew();
        await using var process = ChildProcess.Start("bash", all, RepositoryRoot.Path, outputLines: 1000);
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await process.StopAsync(ChildProcess.SigTerm, TimeSpan.FromSeconds(15));
            throw new TimeoutException($"bench/{script} did not finish within {timeout.TotalSeconds:0} s.{Environment.NewLine}{process.DescribeOutput()}");
        }

        output.WriteLine($"bench/{script} took {stopwatch.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(string.Join(Environment.NewLine, process.LastOutputLines));
        Assert.True(exitCode == 0, $"bench/{script} exited with {exitCode}.{Environment.NewLine}{process.DescribeOutput()}");
        return process.LastOutputLines;
    }

    /// <summary>The markdown table row that starts with <paramref name="first"/>; fails when there is none.</summary>
    public static string Row(IReadOnlyList<string> lines, string first)
    {
        var row = lines.FirstOrDefault(line => line.StartsWith($"| {first} | ", StringComparison.Ordinal));
        Assert.True(row is not null, $"The report has no row for {first}.{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
        return row;
    }

    /// <summary>A row's cells, trimmed; cell 0 is the empty text before the first '|'.</summary>
    public static string[] Cells(string row) => row.Split('|', StringSplitOptions.TrimEntries);
}
