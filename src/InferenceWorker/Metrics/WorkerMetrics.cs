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

    private readonly KeyValuePair<string, object?> _modelTag;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _generationTokens;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _rejected;

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
