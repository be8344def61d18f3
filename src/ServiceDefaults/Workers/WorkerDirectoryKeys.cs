namespace AiPlatform.ServiceDefaults.Workers;

/// <summary>
/// Where workers announce themselves in Redis. Each worker keeps <see cref="Of"/> (a string holding its
/// <see cref="WorkerAnnouncement"/> JSON) alive with a TTL it renews every beat, and its id in the set
/// <see cref="Index"/>; it deletes both when it stops gracefully. A worker that dies leaves its id in the set but its
/// key expires, so readers take an id whose key is missing for a worker that is gone.
/// </summary>
public static class WorkerDirectoryKeys
{
    /// <summary>A Redis set of worker ids.</summary>
    public const string Index = "aig:workers";

    /// <summary>A Redis string: the worker's announcement JSON, with a TTL.</summary>
    public static string Of(string workerId) => "aig:worker:" + workerId;
}
