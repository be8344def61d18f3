namespace AiPlatform.ServiceDefaults.Workers;

/// <summary>
/// One InferenceWorker's announcement: who it is, where it listens, what it serves and how loaded it is. Workers write
/// it to Redis every beat (<see cref="WorkerDirectoryKeys"/>) and Gateways read it to find them without configuration;
/// the JSON is snake_case (<see cref="WorkerAnnouncementFormat"/>).
/// </summary>
public sealed record WorkerAnnouncement
{
    /// <summary>Unique per worker process and stable for its lifetime.</summary>
    public required string Id { get; init; }

    /// <summary>The worker's root URL ending with '/', e.g. <c>http://localhost:8082/</c>; the OpenAI API is under <c>v1/</c>.</summary>
    public required string Address { get; init; }

    /// <summary><c>simulator</c> or <c>vllm</c>.</summary>
    public required string Engine { get; init; }

    /// <summary>The model names it serves, as clients send them in <c>model</c>.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Requests running now.</summary>
    public int Running { get; init; }

    /// <summary>Requests queued now.</summary>
    public int Waiting { get; init; }

    public int MaxRunning { get; init; }

    public int MaxWaiting { get; init; }

    /// <summary>The share of the KV cache in use, 0 to 1; vLLM only, null otherwise.</summary>
    public double? KvCacheUsage { get; init; }

    public long UpdatedAtUnixMs { get; init; }
}
