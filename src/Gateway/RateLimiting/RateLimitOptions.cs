using System.ComponentModel.DataAnnotations;

namespace AiPlatform.Gateway.RateLimiting;

public sealed class RateLimitOptions
{
    public const string SectionName = "Gateway:RateLimits";

    /// <summary>Completion tokens reserved at admission when a request sets no <c>max_tokens</c>; corrected when the answer ends.</summary>
    [Range(1, 1_000_000)]
    public int DefaultCompletionTokens { get; set; } = 256;

    /// <summary>Requests per minute allowed per client IP, whatever the key (0: no such limit).</summary>
    [Range(0, 100_000_000)]
    public int ClientIpRequestsPerMinute { get; set; }

    /// <summary>
    /// A header set by a trusted proxy in front of the Gateway that carries the client's IP (e.g. <c>X-Forwarded-For</c>,
    /// whose first entry is taken). Unset by default: then the connection's address is the client's.
    /// </summary>
    public string? ClientIpHeader { get; set; }

    /// <summary>
    /// The largest share of a limit one replica takes from Redis ahead of need, to admit requests without a round trip
    /// (0: none, every request asks Redis). Limits too small for a lease of one unit stay exact per request; larger
    /// ones are exact to within one lease per replica: never more than the limit, at worst a request refused while
    /// another replica holds unused units.
    /// </summary>
    [Range(0.0, 0.1)]
    public double MaxLeaseFraction { get; set; } = 0.01;

    /// <summary>How long a lease lives before its unused units go back to Redis.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan LeasePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What to do when Redis cannot be reached: fall back to per-replica limits, or refuse requests (503).</summary>
    public RedisOutageMode WhenRedisIsDown { get; set; } = RedisOutageMode.LimitPerReplica;

    /// <summary>How often the fallback is logged while it lasts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OutageLogInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public enum RedisOutageMode
{
    LimitPerReplica,
    Refuse,
}
