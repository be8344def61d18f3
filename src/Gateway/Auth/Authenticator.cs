using AiPlatform.Gateway.RateLimiting;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Auth;

/// <summary>
/// Authenticates a request by its virtual key, and slows down key guessing: each failed attempt is counted per client
/// IP in a shared bucket; once an IP has spent it, this replica refuses that IP with 429 until the bucket refills,
/// valid key or not. Checking the block is a memory read, so honest traffic pays nothing for it.
/// </summary>
public sealed class Authenticator(
    KeyResolver keys,
    RateLimiter limiter,
    ClientAddress clientAddress,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<Authenticator> logger)
{
    private readonly BlockedAddresses _blocked = new(time);

    /// <summary>The key, or the refusal; <paramref name="ClientIp"/> is the address the request came from, resolved once here.</summary>
    public readonly record struct Result(KeyRecord? Key, ApiError? Error, TimeSpan RetryAfter, string ClientIp);

    public async ValueTask<Result> AuthenticateAsync(HttpContext context)
    {
        var ip = clientAddress.Of(context);
        if (_blocked.IsBlocked(ip, out var blockedFor))
        {
            return Refused(blockedFor, ip);
        }

        if (!VirtualKeys.TryReadBearer(context.Request.Headers.Authorization, out var key))
        {
            return await FailAsync(ip, "You didn't provide a valid API key. Send it as 'Authorization: Bearer sk-aig-…'.");
        }

        var lookup = await keys.ResolveAsync(VirtualKeys.Hash(key));
        if (lookup.Status == KeyLookupStatus.Unavailable)
        {
            return new Result(null, new ApiError(StatusCodes.Status503ServiceUnavailable,
                "API keys cannot be checked right now; try again shortly.", ApiErrorTypes.Server, "auth_unavailable"), TimeSpan.FromSeconds(1), ip);
        }

        if (lookup.Record is not { Revoked: false } record)
        {
            return await FailAsync(ip, "Incorrect API key provided.");
        }

        if (record.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return await FailAsync(ip, "This API key has expired.");
        }

        return new Result(record, null, TimeSpan.Zero, ip);
    }

    private async ValueTask<Result> FailAsync(string ip, string message)
    {
        var perMinute = options.Value.FailedAuthPerMinutePerIp;
        if (perMinute > 0)
        {
            var decision = await limiter.AdmitAsync(new RateLimitRequest("authfail:" + ip, perMinute, null, 0, null, 0));
            if (decision is { Allowed: false })
            {
                Block(ip, decision.RetryAfter);
                return Refused(decision.RetryAfter, ip);
            }

            // This failure spent the last allowance: the address waits until the next one refills.
            if (decision is { Requests.Remaining: 0 })
            {
                Block(ip, TimeSpan.FromMinutes(1) / perMinute);
            }
        }

        return new Result(null, ApiError.Unauthorized(message), TimeSpan.Zero, ip);
    }

    private void Block(string ip, TimeSpan duration)
    {
        _blocked.Block(ip, duration);
        AuthLog.ClientIpBlocked(logger, ip, duration);
    }

    private static Result Refused(TimeSpan retryAfter, string ip) => new(null,
        new ApiError(StatusCodes.Status429TooManyRequests, "Too many failed authentication attempts from your address; try again later.",
            ApiErrorTypes.RateLimit, ApiErrorCodes.RateLimitExceeded),
        retryAfter,
        ip);
}
