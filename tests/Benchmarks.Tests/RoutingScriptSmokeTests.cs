using Xunit.Abstractions;

namespace AiPlatform.Benchmarks.Tests;

/// <summary>
/// Runs bench/routing.sh in its quick mode with the smallest matrix (2-second runs, no warm-up, one strategy) so the
/// script does not rot: every worker and every run's Gateway starts, each configuration has its row. The numbers are not
/// judged, only what holds whatever the machine: healthy workers and the Gateway's defaults fail no request, and a
/// worker failing half its requests with neither retries nor ejection does fail some.
/// </summary>
[Collection(BenchScriptCollection.Name)]
public sealed class RoutingScriptSmokeTests(ITestOutputHelper output)
{
    // Seven runs, each with a Gateway started and stopped: ~60 s on a prepared machine.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task RunScript_QuickMinimalMatrix_PrintsBothTables()
    {
        string[] arguments = ["--quick", "--duration", "2", "--warmup", "0", "--strategies", "PowerOfTwoChoices"];

        var lines = await BenchScript.RunAsync("routing.sh", arguments, s_timeout, output);

        // | configuration | req/s | p50 | p99 | failed | failed % | …
        foreach (var configuration in new[] { "three healthy workers", "flaky worker; retries and ejection (defaults)" })
        {
            var row = BenchScript.Row(lines, configuration);
            var cells = BenchScript.Cells(row);
            Assert.True(double.TryParse(cells[2], out var requestsPerSecond) && requestsPerSecond > 0, $"no requests: {row}");
            Assert.True(cells[5] == "0", $"failed requests: {row}");
        }

        var bare = BenchScript.Row(lines, "flaky worker; neither retries nor ejection");
        Assert.True(int.TryParse(BenchScript.Cells(bare)[5], out var failed) && failed > 0, $"the flaky worker never failed: {bare}");
        BenchScript.Row(lines, "flaky worker; no retries (aig-max-attempts: 1), ejection");
        BenchScript.Row(lines, "flaky worker; retries, no ejection");
        BenchScript.Row(lines, "PowerOfTwoChoices");
        BenchScript.Row(lines, "PowerOfTwoChoices + announced load");
    }
}
