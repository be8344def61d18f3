using StackExchange.Redis;

namespace AiPlatform.ServiceDefaults.Clients;

/// <summary>
/// How every service connects to Redis, passed to Aspire's client integration by
/// <see cref="Microsoft.Extensions.Hosting.PlatformRedisClientExtensions.AddPlatformRedisClient"/>.
/// </summary>
public static class RedisConnectionDefaults
{
    private const int MaxConnectTimeoutMs = 2000;

    public static void Configure(ConfigurationOptions options)
    {
        // Aspire's default too, stated because the rest depends on it: a service starts while Redis is down and the
        // multiplexer keeps reconnecting in the background, while the health check reports the outage.
        options.AbortOnConnectFail = false;
        // While disconnected, commands fail at once instead of queueing until their timeout: callers on a request
        // path (limits, cache) fall back immediately rather than making every request wait for Redis to return.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, MaxConnectTimeoutMs);
    }
}
