using System.Diagnostics.Metrics;

namespace AiPlatform.UsageApi.Ledger;

/// <summary>
/// The ledger's instruments on the <see cref="MeterName"/> meter: events that became records, events that were
/// already there (replays), and the time a batch takes. Thread-safe.
/// </summary>
public sealed class LedgerMetrics
{
    /// <summary>UsageApi's meter; ServiceDefaults collects every meter named <c>AiPlatform.*</c>.</summary>
    public const string MeterName = "AiPlatform.UsageApi";

    private readonly Counter<long> _ingested;
    private readonly Counter<long> _duplicates;
    private readonly Histogram<double> _batchDuration;

    public LedgerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _ingested = meter.CreateCounter<long>("aiplatform.usage.events.ingested", "{event}",
            "Usage events written to the ledger as new records.");
        _duplicates = meter.CreateCounter<long>("aiplatform.usage.events.duplicates", "{event}",
            "Usage events the ledger already held (replayed batches), not written again.");
        _batchDuration = meter.CreateHistogram<double>("aiplatform.usage.ingest.duration", "s",
            "Time to write one batch of usage events into Postgres.");
    }

    public void Ingested(IngestResult result, TimeSpan duration)
    {
        _ingested.Add(result.Accepted);
        _duplicates.Add(result.Duplicates);
        _batchDuration.Record(duration.TotalSeconds);
    }
}
