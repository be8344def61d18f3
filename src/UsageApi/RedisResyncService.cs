using StackExchange.Redis;

namespace AiPlatform.UsageApi;

/// <summary>
/// The frame of a background loop that copies Postgres's state into Redis: it asks for a full re-sync whenever the
/// Redis connection comes back (a restarted Redis may have lost everything), treats cancellation at shutdown as a normal
/// stop (the next start re-syncs anyway), and gives the loop its retry backoff.
/// </summary>
public abstract class RedisResyncService : BackgroundService
{
    private readonly IConnectionMultiplexer _redis;

    protected RedisResyncService(IConnectionMultiplexer redis)
    {
        _redis = redis;
    }

    /// <summary>Asks for everything to be written again.</summary>
    public abstract void RequestResync();

    public override void Dispose()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        base.Dispose();
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; whatever is left is written by the next start's re-sync.
        }
        finally
        {
            _redis.ConnectionRestored -= OnConnectionRestored;
        }
    }

    /// <summary>The loop; runs until <paramref name="stoppingToken"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    /// <summary>Called when the interactive Redis connection comes back, before <see cref="RequestResync"/>.</summary>
    protected virtual void OnRedisConnectionRestored()
    {
    }

    /// <summary>The backoff after <paramref name="delay"/>: twice as long, at most <paramref name="maxDelay"/>.</summary>
    protected static TimeSpan NextDelay(TimeSpan delay, TimeSpan maxDelay) =>
        TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
        {
            OnRedisConnectionRestored();
            RequestResync();
        }
    }
}
