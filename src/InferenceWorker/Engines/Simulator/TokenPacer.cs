namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// vLLM's timing as two numbers: the time to the first token (queueing done, prefill) and the time between tokens
/// (one decode step). A zero delay is skipped outright, without a timer or an await, because the zero-latency
/// simulator is the Gateway's benchmark upstream.
/// </summary>
internal sealed class TokenPacer(TimeSpan timeToFirstToken, TimeSpan interTokenLatency, TimeProvider time)
{
    public bool HasInterTokenDelay => interTokenLatency > TimeSpan.Zero;

    public ValueTask FirstTokenAsync(CancellationToken cancellationToken) => DelayAsync(timeToFirstToken, cancellationToken);

    public ValueTask NextTokenAsync(CancellationToken cancellationToken) => DelayAsync(interTokenLatency, cancellationToken);

    private ValueTask DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled(cancellationToken) : ValueTask.CompletedTask;
        }

        return new ValueTask(Task.Delay(delay, time, cancellationToken));
    }
}
