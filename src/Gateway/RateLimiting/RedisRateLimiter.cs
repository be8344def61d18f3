using StackExchange.Redis;

namespace AiPlatform.Gateway.RateLimiting;

/// <summary>The shared limits, exact across replicas: one Lua call per request admits against every bucket at once.</summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, TimeProvider time)
{
    /// <summary>Bucket keys share the key id as a hash tag, so a key's buckets live on one Redis node.</summary>
    public static string RequestsBucket(string keyId) => $"aig:rl:{{{keyId}}}:rpm";

    public static string TokensBucket(string keyId) => $"aig:rl:{{{keyId}}}:tpm";

    public static string ClientIpBucket(string clientIp) => $"aig:rl:ip:{clientIp}";

    public async Task<RateLimitDecision> AdmitAsync(RateLimitRequest request)
    {
        var keys = new List<RedisKey>(3);
        var args = new List<RedisValue>(7) { time.GetUtcNow().ToUnixTimeMilliseconds() };
        int requestsAt = -1, tokensAt = -1;
        if (request.Rpm is { } rpm)
        {
            requestsAt = keys.Count;
            keys.Add(RequestsBucket(request.KeyId));
            args.Add(rpm);
            args.Add(1);
        }

        if (request.Tpm is { } tpm)
        {
            tokensAt = keys.Count;
            keys.Add(TokensBucket(request.KeyId));
            args.Add(tpm);
            args.Add(request.TokenEstimate);
        }

        if (request.ClientIp is { } ip && request.ClientIpRpm > 0)
        {
            keys.Add(ClientIpBucket(ip));
            args.Add(request.ClientIpRpm);
            args.Add(1);
        }

        if (keys.Count == 0)
        {
            return RateLimitDecision.Unlimited;
        }

        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(TokenBucketScripts.Admit, [.. keys], [.. args]))!;
        var allowed = (long)result[0] == 1;
        var retryMs = (long)result[1];

        LimitState? State(int index, int? limit) => index < 0 ? null
            : new LimitState(limit!.Value, Math.Max(0, (long)result[2 + (2 * index)]), TimeSpan.FromMilliseconds((long)result[3 + (2 * index)]));

        var requests = State(requestsAt, request.Rpm);
        var tokens = State(tokensAt, request.Tpm);
        return new RateLimitDecision(
            allowed,
            retryMs switch { < 0 => TimeSpan.FromMinutes(1), _ => TimeSpan.FromMilliseconds(retryMs) },
            allowed ? null : RateLimitReasons.Describe(retryMs < 0, request, requests, tokens),
            requests,
            tokens,
            allowed && request.Tpm is not null ? request.TokenEstimate : 0);
    }

    /// <summary>
    /// Charges (positive) or gives back (negative) the difference between reserved and used tokens, without waiting for
    /// Redis's reply: nothing depends on it, and commands on one connection keep their order, so the next admission
    /// of this replica sees the correction.
    /// </summary>
    public void AdjustTokens(string keyId, int tpm, int delta) =>
        redis.GetDatabase().ScriptEvaluate(TokenBucketScripts.Adjust,
            [TokensBucket(keyId)], [time.GetUtcNow().ToUnixTimeMilliseconds(), tpm, delta], CommandFlags.FireAndForget);
}
