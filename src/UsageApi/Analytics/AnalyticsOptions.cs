using System.ComponentModel.DataAnnotations;

namespace AiPlatform.UsageApi.Analytics;

public sealed class AnalyticsOptions
{
    public const string SectionName = "UsageApi:Analytics";

    /// <summary>
    /// Postgres <c>work_mem</c> for the summary and time-series queries (<c>SET LOCAL</c>, that transaction only). Their
    /// sorts (by group, and one per percentile set) over a week of a busy ledger spill to disk at the server's default
    /// of 4 MB; at 64 MB a summary by key over 1M records took half the time (measured, bench/ledger). Each sort of a
    /// query may use this much.
    /// </summary>
    [Range(4, 2048)]
    public int WorkMemMegabytes { get; set; } = 64;
}
