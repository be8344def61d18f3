using AiPlatform.ServiceDefaults.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// Counts failed admin authentications per client address in Redis, in fixed windows of <see cref="AdminAuthOptions.Window"/>,
/// so that every replica of the service adds to one count; the attempt past <see cref="AdminAuthOptions.FailuresPerWindow"/>
/// blocks the address on the replica that saw it until the window ends. Checking the block is a memory read. When
/// Redis cannot be reached, attempts are not limited (logged): the admin API stays usable through an outage.
/// </summary>
public sealed class FailedAdminAuthLimiter(
    IConnectionMultiplexer redis, IOptions<AdminAuthOptions> options, IHostEnvironment environment, TimeProvider time,
    ILogger<FailedAdminAuthLimiter> logger)
{
    // Per service (all replicas of one share it): guesses at the Gateway's admin endpoint must not block the Gateway's
    // own calls to UsageApi, which on one machine come from the same address.
    private readonly string _keyPrefix = $"aig:admin-auth-failures:{environment.ApplicationName}:";

    // INCR, and the window's expiry set by the first failure only; returns the count and the milliseconds left.
    private static readonly LuaScript s_countFailure = LuaScript.Prepare("""
        local count = redis.call('INCR', @key)
        if count == 1 then redis.call('PEXPIRE', @key, @windowMs) end
        return { count, redis.call('PTTL', @key) }
        """);

    private readonly BlockedAddresses _blocked = new(time);

    /// <summary>Whether this replica blocks <paramref name="address"/>, and for how long still.</summary>
    public bool IsBlocked(string address, out TimeSpan remaining) => _blocked.IsBlocked(address, out remaining);

    /// <summary>Counts a failure of <paramref name="address"/>; returns how long it is blocked when this one went over the limit.</summary>
    public async ValueTask<TimeSpan?> FailedAsync(string address)
    {
        var settings = options.Value;
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(s_countFailure,
                new { key = (RedisKey)(_keyPrefix + address), windowMs = (long)settings.Window.TotalMilliseconds }))!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            AdminLog.FailureNotCounted(logger, ex.GetType().Name);
            return null;
        }

        var count = (long)result[0];
        if (count <= settings.FailuresPerWindow)
        {
            return null;
        }

        var remaining = TimeSpan.FromMilliseconds(Math.Max((long)result[1], 1));
        _blocked.Block(address, remaining);
        // Exactly one attempt, on one replica, makes the count pass the limit: one line per address and window.
        if (count == settings.FailuresPerWindow + 1)
        {
            AdminLog.AddressBlocked(logger, address, settings.FailuresPerWindow, settings.Window, remaining);
        }

        return remaining;
    }
}
