using StackExchange.Redis;

namespace AiPlatform.Gateway.RateLimiting;

/// <summary>
/// The shared limits, exact across replicas: one Lua call per request admits against every bucket at once, and takes
/// or gives back the units of this replica's leases (<see cref="RateLimitLeases"/>) in the same call.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, TimeProvider time)
{
    /// <summary>Bucket keys share the key id as a hash tag, so a key's buckets live on one Redis node.</summary>
    public static string RequestsBucket(string keyId) => $"aig:rl:{{{keyId}}}:rpm";

    public static string TokensBucket(string keyId) => $"aig:rl:{{{keyId}}}:tpm";

    public static string ClientIpBucket(string clientIp) => $"aig:rl:ip:{clientIp}";

    public static string BucketKey(LimitKind kind, string scope) => kind switch
    {
        LimitKind.Requests => RequestsBucket(scope),
        LimitKind.Tokens => TokensBucket(scope),
        _ => ClientIpBucket(scope),
    };

    public async Task<RateLimitDecision> AdmitAsync(RateLimitRequest request, LeaseRenewal renewal)
    {
        var keys = new List<RedisKey>(3);
        var args = new List<RedisValue>(13) { time.GetUtcNow().ToUnixTimeMilliseconds() };
        var kinds = new List<LimitKind>(3);
        foreach (var kind in LimitKinds.All)
        {
            if (request.TryGetBucket(kind, out var scope, out var capacity, out var cost))
            {
                kinds.Add(kind);
                keys.Add(BucketKey(kind, scope));
                args.Add(capacity);
                args.Add(cost);
                args.Add(renewal.WantOf(kind));
                args.Add(renewal.GiveOf(kind));
            }
        }

        if (keys.Count == 0)
        {
            return RateLimitDecision.Unlimited;
        }

        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(TokenBucketScripts.Admit, [.. keys], [.. args]))!;
        var allowed = (long)result[0] == 1;
        var retryMs = (long)result[1];
        LimitState? requests = null, tokens = null;
        for (var i = 0; i < kinds.Count; i++)
        {
            var (level, toFullMs, granted) = ((long)result[2 + (3 * i)], (long)result[3 + (3 * i)], (long)result[4 + (3 * i)]);
            renewal.Granted(kinds[i], granted, level, toFullMs);
            // What the client may still use: the shared level plus the units this replica now holds for it.
            var state = new LimitState((long)args[1 + (4 * i)], Math.Max(0, level + granted), TimeSpan.FromMilliseconds(toFullMs));
            switch (kinds[i])
            {
                case LimitKind.Requests: requests = state; break;
                case LimitKind.Tokens: tokens = state; break;
            }
        }

        return new RateLimitDecision(
            allowed,
            retryMs switch { < 0 => TimeSpan.FromMinutes(1), _ => TimeSpan.FromMilliseconds(retryMs) },
            allowed ? null : RateLimitReasons.Describe(retryMs < 0, request, requests, tokens),
            requests,
            tokens,
            allowed && request.Tpm is not null ? request.TokenEstimate : 0);
    }

    /// <summary>
    /// Charges (positive) or gives back (negative) units of a bucket, without waiting for Redis's reply: nothing depends
    /// on it, and commands on one connection keep their order, so the next admission of this replica sees the correction.
    /// </summary>
    public void Adjust(string bucketKey, long capacity, long delta) =>
        redis.GetDatabase().ScriptEvaluate(TokenBucketScripts.Adjust,
            [bucketKey], [time.GetUtcNow().ToUnixTimeMilliseconds(), capacity, delta], CommandFlags.FireAndForget);
}
