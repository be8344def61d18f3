using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace AiPlatform.Gateway.RateLimiting;

/// <summary>
/// The fallback while Redis is unreachable: the same limits, counted by this replica alone (so N replicas may let
/// up to N times the limit through). Token reservations are not corrected here: the in-process token bucket
/// cannot take tokens back, so it errs on the side of limiting.
/// </summary>
public sealed class LocalRateLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public RateLimitDecision Admit(RateLimitRequest request)
    {
        var requests = request.Rpm is { } rpm ? Get($"rpm:{request.KeyId}", rpm) : null;
        var tokens = request.Tpm is { } tpm ? Get($"tpm:{request.KeyId}", tpm) : null;
        var ip = request.ClientIp is { } address && request.ClientIpRpm > 0 ? Get($"ip:{address}", request.ClientIpRpm) : null;
        if (requests is null && tokens is null && ip is null)
        {
            return RateLimitDecision.Unlimited;
        }

        // Check every bucket before taking from any, so that a refusal by one does not charge the others.
        var fits = (requests?.Available ?? 1) >= 1 && (ip?.Available ?? 1) >= 1 &&
                   (tokens is null || (request.TokenEstimate <= tokens.Capacity && tokens.Available >= request.TokenEstimate));
        if (fits)
        {
            requests?.Take(1);
            ip?.Take(1);
            tokens?.Take(request.TokenEstimate);
        }

        LimitState? State(Bucket? bucket) => bucket is null ? null
            : new LimitState(bucket.Capacity, bucket.Available, TimeSpan.FromSeconds(60.0 * (bucket.Capacity - bucket.Available) / bucket.Capacity));

        var requestsState = State(requests);
        var tokensState = State(tokens);
        return new RateLimitDecision(
            fits,
            fits ? TimeSpan.Zero : TimeSpan.FromSeconds(1),
            fits ? null : RateLimitReasons.Describe(tokens is not null && request.TokenEstimate > tokens.Capacity, request, requestsState, tokensState),
            requestsState,
            tokensState,
            fits && tokens is not null ? request.TokenEstimate : 0);
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Limiter.Dispose();
        }
    }

    private Bucket Get(string name, int capacity)
    {
        var bucket = _buckets.GetOrAdd(name, static (_, c) => new Bucket(c), capacity);
        if (bucket.Capacity == capacity)
        {
            return bucket;
        }

        // The key's limit changed: start a bucket of the new size.
        var replacement = new Bucket(capacity);
        _buckets[name] = replacement;
        bucket.Limiter.Dispose();
        return replacement;
    }

    private sealed class Bucket(int capacity)
    {
        public int Capacity { get; } = capacity;

        public TokenBucketRateLimiter Limiter { get; } = new(new TokenBucketRateLimiterOptions
        {
            TokenLimit = capacity,
            // Refill a sixtieth of the capacity every second: the per-minute rate, spread evenly.
            TokensPerPeriod = Math.Max(1, capacity / 60),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            AutoReplenishment = true,
            QueueLimit = 0,
        });

        public long Available => Limiter.GetStatistics()?.CurrentAvailablePermits ?? 0;

        public void Take(int permits)
        {
            using var lease = Limiter.AttemptAcquire(permits);
        }
    }
}
