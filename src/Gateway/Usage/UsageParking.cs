using System.Text.Json;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Usage;

/// <summary>Writes batches UsageApi could not take into the Redis Stream (<see cref="UsageStreamFormat"/>).</summary>
public sealed class UsageParking(IConnectionMultiplexer redis, UsageMetrics metrics, ILogger<UsageParking> logger)
{
    public Task<bool> TryParkAsync(IReadOnlyList<UsageEvent> events) =>
        TryParkAsync(JsonSerializer.SerializeToUtf8Bytes(new UsageBatch(events), UsageJsonContext.Default.UsageBatch), events.Count);

    public async Task<bool> TryParkAsync(byte[] batchJson, int count)
    {
        try
        {
            await redis.GetDatabase().StreamAddAsync(UsageStreamFormat.StreamKey, UsageStreamFormat.Entry(batchJson, count));
            metrics.Parked(count);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            UsageLog.ParkingFailed(logger, count, ex.Message);
            return false;
        }
    }
}
