using System.Diagnostics.Metrics;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Engines;

namespace AiPlatform.InferenceWorker.Metrics;

/// <summary>
/// The worker's load and token figures, kept once and shown twice: as Prometheus text on <c>/metrics</c> (vLLM's
/// names, which the Gateway's router reads) and through the <see cref="MeterName"/> meter, which OTLP exports.
/// </summary>
/// <remarks>
/// Thread-safe: counts are <see cref="Interlocked"/> updates. A request is <em>waiting</em> while it queues for
/// admission or for a sequence slot, and <em>running</em> while an engine generates for it, as vLLM counts them.
/// </remarks>
internal sealed class WorkerMetrics
{
    public const string MeterName = "AiPlatform.InferenceWorker";

    /// <summary>vLLM's upper bounds (seconds) of <c>vllm:time_to_first_token_seconds</c>, so dashboards built for vLLM read ours.</summary>
    public static readonly double[] TimeToFirstTokenBuckets =
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];

    private readonly KeyValuePair<string, object?> _modelTag;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _generationTokens;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly long[] _timeToFirstTokenBuckets = new long[TimeToFirstTokenBuckets.Length];
    private long _timeToFirstTokenCount;
    private long _timeToFirstTokenMicros;

    private long _running;
    private long _waiting;
    private long _promptTokenCount;
    private long _generationTokenCount;
    private long _stopCount;
    private long _lengthCount;
    private long _rejectedCount;

    public WorkerMetrics(IMeterFactory meterFactory, ServedModel model)
    {
        ModelName = model.Name;
        _modelTag = new("model_name", model.Name);

        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("aiplatform.worker.requests.running", () => new Measurement<long>(Running, _modelTag),
            "{request}", "Requests an engine is generating for.");
        meter.CreateObservableUpDownCounter("aiplatform.worker.requests.waiting", () => new Measurement<long>(Waiting, _modelTag),
            "{request}", "Requests waiting for admission or for a sequence slot.");
        _promptTokens = meter.CreateCounter<long>("aiplatform.worker.prompt_tokens", "{token}", "Prompt tokens processed.");
        _generationTokens = meter.CreateCounter<long>("aiplatform.worker.generation_tokens", "{token}", "Tokens generated.");
        _succeeded = meter.CreateCounter<long>("aiplatform.worker.requests.succeeded", "{choice}", "Choices generated to their end, by finish reason.");
        _rejected = meter.CreateCounter<long>("aiplatform.worker.requests.rejected", "{request}", "Requests refused because the admission queue was full.");
        _timeToFirstToken = meter.CreateHistogram("aiplatform.worker.time_to_first_token", "s", "Time from a request's start of generation to its first token.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TimeToFirstTokenBuckets });
    }

    public string ModelName { get; }

    public long Running => Volatile.Read(ref _running);

    public long Waiting => Volatile.Read(ref _waiting);

    public long PromptTokens => Volatile.Read(ref _promptTokenCount);

    public long GenerationTokens => Volatile.Read(ref _generationTokenCount);

    public long Rejected => Volatile.Read(ref _rejectedCount);

    public long Succeeded(FinishReason reason) => Volatile.Read(ref reason == FinishReason.Length ? ref _lengthCount : ref _stopCount);

    /// <summary>Counts the request as running until the returned scope is disposed.</summary>
    public GaugeScope TrackRunning() => new(this, running: true);

    /// <summary>Counts the request as waiting until the returned scope is disposed.</summary>
    public GaugeScope TrackWaiting() => new(this, running: false);

    public void AddPromptTokens(int count)
    {
        Interlocked.Add(ref _promptTokenCount, count);
        _promptTokens.Add(count, _modelTag);
    }

    public void AddGenerationTokens(int count)
    {
        Interlocked.Add(ref _generationTokenCount, count);
        _generationTokens.Add(count, _modelTag);
    }

    public void AddSucceeded(FinishReason reason)
    {
        Interlocked.Increment(ref reason == FinishReason.Length ? ref _lengthCount : ref _stopCount);
        _succeeded.Add(1, _modelTag, new("finished_reason", reason == FinishReason.Length ? "length" : "stop"));
    }

    /// <summary>How many first tokens came within each bucket's bound (cumulative, as Prometheus counts), their count and their total time.</summary>
    public (long[] Cumulative, long Count, double SumSeconds) TimeToFirstToken()
    {
        var cumulative = new long[_timeToFirstTokenBuckets.Length];
        long running = 0;
        for (var i = 0; i < cumulative.Length; i++)
        {
            running += Volatile.Read(ref _timeToFirstTokenBuckets[i]);
            cumulative[i] = running;
        }

        return (cumulative, Volatile.Read(ref _timeToFirstTokenCount), Volatile.Read(ref _timeToFirstTokenMicros) / 1e6);
    }

    public void RecordTimeToFirstToken(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var bucket = Array.FindIndex(TimeToFirstTokenBuckets, bound => seconds <= bound);
        if (bucket >= 0)
        {
            Interlocked.Increment(ref _timeToFirstTokenBuckets[bucket]);
        }

        Interlocked.Increment(ref _timeToFirstTokenCount);
        Interlocked.Add(ref _timeToFirstTokenMicros, (long)(elapsed.Ticks / 10));
        _timeToFirstToken.Record(seconds, _modelTag);
    }

    public void AddRejected()
    {
        Interlocked.Increment(ref _rejectedCount);
        _rejected.Add(1, _modelTag);
    }

    internal readonly struct GaugeScope : IDisposable
    {
        private readonly WorkerMetrics _metrics;
        private readonly bool _isRunning;

        public GaugeScope(WorkerMetrics metrics, bool running)
        {
            _metrics = metrics;
            _isRunning = running;
            Interlocked.Increment(ref running ? ref metrics._running : ref metrics._waiting);
        }

        public void Dispose() => Interlocked.Decrement(ref _isRunning ? ref _metrics._running : ref _metrics._waiting);
    }
}
