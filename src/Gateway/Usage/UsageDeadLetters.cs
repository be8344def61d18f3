using StackExchange.Redis;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// Batches UsageApi refused as malformed (a bug, not an outage): kept in a separate Redis Stream for a person to
/// inspect instead of being replayed forever or silently lost.
/// </summary>
public sealed class UsageDeadLetters(IConnectionMultiplexer redis, UsageMetrics metrics, ILogger<UsageDeadLetters> logger)
{
    public const string StreamKey = "aig:usage:rejected";

    public async Task SetAsideAsync(ReadOnlyMemory<byte> batchJson, int count)
    {
        UsageLog.BatchRejected(logger, count, StreamKey);
        try
        {
            await redis.GetDatabase().StreamAddAsync(StreamKey, UsageStreamFormat.Entry(batchJson, count));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            metrics.Dropped(count);
            UsageLog.ParkingFailed(logger, count, ex.Message);
        }
    }
}
