using AiPlatform.InferenceWorker.Admission;

namespace AiPlatform.InferenceWorker.Announcement;

/// <summary>The load figures a worker announces.</summary>
internal readonly record struct WorkerLoad(int Running, int Waiting, int MaxRunning, int MaxWaiting, double? KvCacheUsage)
{
    /// <summary>
    /// Admission control's figures, each raised to vLLM's own when it is known: the larger rather than the sum, since
    /// the requests this worker admitted are among vLLM's, and vLLM may also be serving clients other than this worker.
    /// </summary>
    public static WorkerLoad Combine(AdmissionLoad admission, VllmLoad? vllm) => new(
        Math.Max(admission.Running, vllm?.Running ?? 0),
        Math.Max(admission.Waiting, vllm?.Waiting ?? 0),
        admission.MaxRunning,
        admission.MaxWaiting,
        vllm?.KvCacheUsage);
}

/// <summary>Reads <see cref="WorkerLoad"/> for one beat: admission control always, the vLLM server when the engine is vllm.</summary>
internal sealed class WorkerLoadReader(AdmissionController admission, VllmMetricsReader? vllm)
{
    public async Task<WorkerLoad> ReadAsync(TimeSpan vllmTimeout, CancellationToken cancellationToken)
    {
        var engine = vllm is null ? null : await vllm.ReadAsync(vllmTimeout, cancellationToken);
        return WorkerLoad.Combine(admission.Load, engine);
    }
}
