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
