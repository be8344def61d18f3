using StackExchange.Redis;

namespace AiPlatform.Gateway.Auth;

/// <summary>
/// Listens on <see cref="KeyRecordFormat.InvalidationChannel"/> and drops changed keys from this replica's memory.
/// Messages sent while the connection was down are lost, so a restored connection drops every cached key.
/// </summary>
public sealed class KeyInvalidationListener(IConnectionMultiplexer redis, KeyResolver resolver, ILogger<KeyInvalidationListener> logger)
    : IHostedService
{
    private static readonly RedisChannel s_channel = RedisChannel.Literal(KeyRecordFormat.InvalidationChannel);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            await redis.GetSubscriber().SubscribeAsync(s_channel, (_, message) => resolver.Invalidate(message.ToString()));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The multiplexer re-subscribes by itself once Redis is reachable.
            AuthLog.SubscribeFailed(logger, ex.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnConnectionRestored;
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(s_channel);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            AuthLog.SubscribeFailed(logger, ex.Message);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            resolver.Invalidate(null);
        }
    }
}
