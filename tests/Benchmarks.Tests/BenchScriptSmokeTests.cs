using Xunit.Abstractions;

namespace AiPlatform.Benchmarks.Tests;

/// <summary>
/// Runs bench/run.sh in its quick mode with the smallest matrix (one repeat, concurrency 1, 2-second runs, no warm-up)
/// so the script does not rot: every server starts (Postgres and UsageApi included), every target answers, the report
/// has a row per target with the platform's CPU for the Gateway's, and every request the Gateway answered reached the
/// ledger. Portkey may be unavailable (npm unreachable, Node too old): its row must then say so. The numbers themselves
/// are not judged.
/// </summary>
[Collection(BenchScriptCollection.Name)]
public sealed class BenchScriptSmokeTests(ITestOutputHelper output)
{
    /// <summary>The default targets of bench/run.sh, in its order.</summary>
    private static readonly string[] s_targets = ["direct", "nginx", "bare-proxy", "gateway-miss", "gateway-hit", "portkey", "sim-direct", "gateway-sim"];

    // A run on a prepared machine takes ~45 s (Postgres's cluster, UsageApi's migrations and Portkey's npm install
    // included); a new one first installs wrk, nginx, redis-server and postgresql with apt-get (~60 s); npm is cut off
    // at 60 s.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(200);

    [Fact]
    public async Task RunScript_QuickMinimalMatrix_PrintsTableWithEveryTarget()
    {
        var outDirectory = Directory.CreateTempSubdirectory("aiplatform-bench-smoke-").FullName;
        try
        {
            string[] arguments =
            [
                "--quick", "--repeats", "1", "--concurrency", "1", "--duration", "2", "--warmup", "0", "--ttfb-samples", "5",
                // A registry that hangs must not take the test's time: Portkey's row then says it is unavailable.
                "--portkey-install-timeout", "60",
                "--out", outDirectory,
            ];
            var lines = await BenchScript.RunAsync("run.sh", arguments, s_timeout, output);

            Assert.Contains(lines, line => line.StartsWith("| target | conc | req/s |", StringComparison.Ordinal));
            foreach (var target in s_targets)
            {
                var row = BenchScript.Row(lines, target);
                if (target == "portkey" && row.Contains("unavailable", StringComparison.Ordinal))
                {
                    output.WriteLine($"Portkey was not measured: {row}");
                    continue;
                }

                // | name | conc | req/s | p50 | p90 | p99 | +p50 | +p99 | non-2xx | socket errors | CPU | Redis CPU | peak RSS
                // | RSS after | UsageApi CPU | Postgres CPU | platform CPU |
                var cells = BenchScript.Cells(row);
                Assert.True(double.TryParse(cells[3], out var requestsPerSecond) && requestsPerSecond > 0, $"{target} did no requests: {row}");
                if (target != "portkey")
                {
                    Assert.True(cells[9] == "0" && cells[10] == "0", $"{target} had error responses: {row}");
                }

                if (target.StartsWith("gateway-", StringComparison.Ordinal))
                {
                    Assert.True(double.TryParse(cells[14], out var rssAfter) && rssAfter > 0, $"{target} has no RSS after its run: {row}");
                    Assert.True(double.TryParse(cells[17], out var platformCpu) && platformCpu > 0, $"{target} has no platform CPU: {row}");
                }
            }

            Assert.Contains(lines, line => line.StartsWith("### Targets (issue 13)", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.StartsWith("- ledger: ", StringComparison.Ordinal));
            var ledger = BenchScript.Row(lines, "every request the Gateway answered is in the ledger");
            Assert.True(ledger.EndsWith("| **met** |", StringComparison.Ordinal), $"the ledger misses requests: {ledger}");
            Assert.True(File.Exists(Path.Combine(outDirectory, "report.md")), "--out got no report.md");
        }
        finally
        {
            Directory.Delete(outDirectory, recursive: true);
        }
    }
}
