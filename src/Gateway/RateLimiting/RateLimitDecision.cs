namespace AiPlatform.Gateway.RateLimiting;

/// <summary>One limit's state after admission, as the <c>x-ratelimit-*</c> headers report it.</summary>
public readonly record struct LimitState(long Limit, long Remaining, TimeSpan ResetIn);

/// <summary>
/// The answer of the limiters for one request. <see cref="Requests"/>/<see cref="Tokens"/> are null when the key has
/// no such limit. <see cref="TokensReserved"/> is what was taken from the token bucket and must be corrected later.
/// </summary>
public sealed record RateLimitDecision(
    bool Allowed,
    TimeSpan RetryAfter,
    string? Reason,
    LimitState? Requests,
    LimitState? Tokens,
    int TokensReserved)
{
    public static readonly RateLimitDecision Unlimited = new(true, TimeSpan.Zero, null, null, null, 0);
}

/// <summary>What one request asks of the limiters.</summary>
/// <param name="KeyId">The virtual key's id: the scope of rpm and tpm.</param>
/// <param name="Rpm">Requests per minute allowed to the key; null for no limit.</param>
/// <param name="Tpm">Tokens per minute allowed to the key; null for no limit.</param>
/// <param name="TokenEstimate">Tokens to reserve for this request until its real usage is known.</param>
/// <param name="ClientIp">Scope of the optional per-IP limit; null when that limit is off.</param>
/// <param name="ClientIpRpm">Requests per minute allowed per client IP (0: off).</param>
public readonly record struct RateLimitRequest(string KeyId, int? Rpm, int? Tpm, int TokenEstimate, string? ClientIp, int ClientIpRpm)
{
    /// <summary>The bucket of <paramref name="kind"/> this request is admitted against: its scope, capacity per minute and this request's cost; false when the request has no such limit.</summary>
    public bool TryGetBucket(LimitKind kind, out string scope, out long capacity, out long cost)
    {
        (scope, capacity, cost) = kind switch
        {
            LimitKind.Requests when Rpm is { } rpm => (KeyId, rpm, 1L),
            LimitKind.Tokens when Tpm is { } tpm => (KeyId, tpm, TokenEstimate),
            LimitKind.ClientIp when ClientIp is { } ip && ClientIpRpm > 0 => (ip, ClientIpRpm, 1L),
            _ => ("", 0L, 0L),
        };
        return capacity > 0;
    }
}
