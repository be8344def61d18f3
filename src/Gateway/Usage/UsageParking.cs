using System.Text.Json;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// Keeps batches in Redis: in the stream of parked batches (<see cref="UsageStreamFormat"/>) those UsageApi could not take,
/// for <see cref="UsageReplayer"/>; and in <see cref="SendingKey"/>, in the same format, a copy of each batch from when it
/// is cut until it is delivered, so that a Gateway killed before or during the delivery does not take the batch with it.
/// </summary>
public sealed class UsageParking(IConnectionMultiplexer redis, UsageMetrics metrics, ILogger<UsageParking> logger)
{
    /// <summary>
    /// The stream of batches on their way to UsageApi. An entry's id is Redis's clock when it was added, so its age tells
    /// whether its Gateway is still sending it or died doing so (<see cref="UsageOptions.AbandonedSendAge"/>).
    /// </summary>
    public const string SendingKey = "aig:usage:sending";

    public Task<bool> TryParkAsync(IReadOnlyList<UsageEvent> events) =>
        TryParkAsync(JsonSerializer.SerializeToUtf8Bytes(new UsageBatch(events), UsageJsonContext.Default.UsageBatch), events.Count);

    public async Task<bool> TryParkAsync(ReadOnlyMemory<byte> batchJson, int count)
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

    /// <summary>
    /// Keeps a copy of a batch about to be sent; returns its id for <see cref="ReleaseAsync"/>, or null when Redis cannot
    /// take it (the batch is then sent all the same, from memory only).
    /// </summary>
    public async Task<RedisValue?> TryHoldAsync(ReadOnlyMemory<byte> batchJson, int count)
    {
        try
        {
            return await redis.GetDatabase().StreamAddAsync(SendingKey, UsageStreamFormat.Entry(batchJson, count));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            UsageLog.HoldFailed(logger, count, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Drops the copy once the batch is delivered (or parked, or set aside). A copy left behind when Redis does not answer
    /// is replayed once it is old enough; ingestion is idempotent, so that costs a duplicate delivery, never a record.
    /// </summary>
    public async Task ReleaseAsync(RedisValue? hold)
    {
        if (hold is not { } id)
        {
            return;
        }

        try
        {
            await redis.GetDatabase().StreamDeleteAsync(SendingKey, [id]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            UsageLog.ReleaseFailed(logger, ex.Message);
        }
    }
}
