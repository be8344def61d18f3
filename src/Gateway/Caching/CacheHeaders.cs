namespace AiPlatform.Gateway.Caching;

/// <summary>The cache's request and response headers.</summary>
public static class CacheHeaders
{
    /// <summary>Request: seconds to keep this answer, bounded by <see cref="CacheOptions.MaxTtl"/>.</summary>
    public const string Ttl = "aig-cache-ttl";

    /// <summary>Request: <c>true</c> to neither read nor write the cache.</summary>
    public const string Skip = "aig-skip-cache";

    /// <summary>Request: the caller's own cache key, used instead of the request's hash (still scoped to the caller).</summary>
    public const string Key = "aig-cache-key";

    /// <summary>Response: <c>HIT</c>, <c>MISS</c> or <c>BYPASS</c>.</summary>
    public const string Status = "aig-cache-status";

    public const string Hit = "HIT";
    public const string Miss = "MISS";
    public const string Bypass = "BYPASS";
}
