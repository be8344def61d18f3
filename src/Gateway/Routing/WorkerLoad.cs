namespace AiPlatform.Gateway.Routing;

/// <summary>A worker's load as it last announced it.</summary>
public sealed record WorkerLoad(int Running, int Waiting, double? KvCacheUsage);
