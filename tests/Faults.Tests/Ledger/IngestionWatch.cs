extern alias usageapi;

using System.Diagnostics.Metrics;
using usageapi::AiPlatform.UsageApi.Ledger;

namespace AiPlatform.Faults.Tests.Ledger;

/// <summary>
/// Sees each batch UsageApi (in this process) writes into the ledger, the moment it is committed, through its
/// <c>aiplatform.usage.events.ingested</c> counter: a test can time a fault against the Gateways' flushes to the ledger.
/// </summary>
public sealed class IngestionWatch : IDisposable
{
    private const string IngestedInstrument = "aiplatform.usage.events.ingested";

    private readonly MeterListener _listener = new();
    private TaskCompletionSource _nextBatch = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IngestionWatch()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LedgerMetrics.MeterName && instrument.Name == IngestedInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, accepted, _, _) =>
        {
            if (accepted > 0)
            {
                Interlocked.Exchange(ref _nextBatch, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        });
        _listener.Start();
    }

    /// <summary>Completes when the next batch with at least one new record has been committed.</summary>
    public Task NextBatchAsync() => Volatile.Read(ref _nextBatch).Task;

    public void Dispose() => _listener.Dispose();
}
