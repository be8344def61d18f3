using AiPlatform.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace AiPlatform.ServiceDefaults.Clients;

/// <summary>
/// Registers one shared Redis connection for <c>ConnectionStrings:{name}</c> and a readiness check that PINGs it,
/// as Aspire's Redis client integration does. The connection does not abort when Redis is down at start:
/// it keeps reconnecting in the background and the health check reports the outage.
/// </summary>
public static class RedisClientExtensions
{
    public static TBuilder AddRedisClient<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        var options = ConfigurationOptions.Parse(ConnectionStrings.GetRequired(builder.Configuration, connectionName));
        options.AbortOnConnectFail = false;
        // While disconnected, commands fail at once instead of queueing until their timeout: callers on a request
        // path (limits, cache) fall back immediately rather than making every request wait for Redis to return.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddHealthChecks().AddTypeActivatedCheck<RedisHealthCheck>(
            connectionName, failureStatus: null, tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : TimedHealthCheck(TimeSpan.FromSeconds(2))
{
    protected override Task ProbeAsync(CancellationToken cancellationToken) =>
        redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
}
