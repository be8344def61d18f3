using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.Gateway.RateLimiting;

/// <summary>
/// Applies the limits through Redis, and while Redis cannot be reached, through this replica's own counters
/// (or refuses, if so configured). Logs the outage once per interval and counts each request decided locally.
/// </summary>
public sealed class RateLimiter(
    RedisRateLimiter shared,
    RateLimitLeases leases,
    LocalRateLimiter local,
    IOptions<RateLimitOptions> options,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<RateLimiter> logger)
{
    private readonly Counter<long> _fallbacks = meters.Create(GatewayMeter.Name)
        .CreateCounter<long>("aiplatform.gateway.ratelimit.redis_unavailable", description: "Requests whose limits were decided without Redis");

    private long _lastOutageLog = long.MinValue;

    /// <summary>
    /// Null when Redis is down and the configuration says to refuse. Completes at once, without an async state machine,
    /// when the key has no limits or this replica's leases admit the request.
    /// </summary>
    public ValueTask<RateLimitDecision?> AdmitAsync(RateLimitRequest request)
    {
        if (request.Rpm is null && request.Tpm is null && (request.ClientIp is null || request.ClientIpRpm <= 0))
        {
            return ValueTask.FromResult<RateLimitDecision?>(RateLimitDecision.Unlimited);
        }

        return leases.TryAdmit(request) is { } leased ? ValueTask.FromResult<RateLimitDecision?>(leased) : new(AdmitSharedAsync(request));
    }

    private async Task<RateLimitDecision?> AdmitSharedAsync(RateLimitRequest request)
    {
        var renewal = leases.BeginRenewal(request);
        try
        {
            return await shared.AdmitAsync(request, renewal);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            renewal.Abort();
            _fallbacks.Add(1);
            LogOutage(ex);
            return options.Value.WhenRedisIsDown == RedisOutageMode.Refuse ? null : local.Admit(request);
        }
        catch
        {
            // Whatever else failed (the multiplexer disposed at shutdown, say), no lease may stay in its renewal.
            renewal.Abort();
            throw;
        }
    }

    /// <summary>
    /// Settles a reservation with the tokens the answer really used: into this replica's lease on the key's tokens while
    /// it lives (it goes back to Redis with the lease), otherwise in Redis. Never throws: a lost correction only errs
    /// toward limiting.
    /// </summary>
    public void SettleTokens(string keyId, int? tpm, int reserved, int used)
    {
        if (tpm is not { } limit || reserved == 0 || used == reserved || leases.TryCredit(LimitKind.Tokens, keyId, limit, reserved - used))
        {
            return;
        }

        try
        {
            shared.Adjust(RedisRateLimiter.TokensBucket(keyId), limit, used - reserved);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogOutage(ex);
        }
    }

    private void LogOutage(Exception ex)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastOutageLog);
        var interval = (long)(options.Value.OutageLogInterval.TotalSeconds * time.TimestampFrequency);
        if ((last == long.MinValue || now - last >= interval) && Interlocked.CompareExchange(ref _lastOutageLog, now, last) == last)
        {
            RateLimitLog.RedisUnavailable(logger, options.Value.WhenRedisIsDown, ex.Message);
        }
    }
}
