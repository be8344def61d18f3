namespace AiPlatform.LedgerBench;

/// <summary>
/// Measures UsageApi's ledger on this machine: sustained ingestion through POST /v1/usage/events, and the latency of
/// each analytics query over one million generated records. See README.md. (Not top-level statements: their
/// <c>Program</c> class would hide UsageApi's, which the bench hosts.)
/// </summary>
public static class BenchEntryPoint
{
    public static Task<int> Main(string[] args) => LedgerBenchmark.RunAsync(BenchOptions.Parse(args));
}
