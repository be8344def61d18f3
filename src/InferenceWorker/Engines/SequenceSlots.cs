using System.Threading.RateLimiting;
using AiPlatform.InferenceWorker.Metrics;

namespace AiPlatform.InferenceWorker.Engines;

/// <summary>
/// An engine's batch: so many sequences decode at once, the rest queue in arrival order, counted as waiting while they
/// do (vLLM's <c>max_num_seqs</c> and waiting queue). The queue needs no bound of its own: admission control bounds the
/// requests that can reach it. Thread-safe.
/// </summary>
internal sealed class SequenceSlots(int slots, WorkerMetrics metrics) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = slots,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>A slot, held until the lease is disposed; waits (counted as waiting) when all are taken.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        using (metrics.TrackWaiting())
        {
            return await _limiter.AcquireAsync(1, cancellationToken);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
