using System.Globalization;
using AiPlatform.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// Offers the batches parked in the Redis Stream to UsageApi again, through a consumer group shared by all Gateway
/// replicas: each entry goes to one replica, is acknowledged and deleted only once UsageApi has taken it, and is
/// claimed by another replica if the one holding it died (<see cref="UsageOptions.AbandonedSendAge"/>). Before that it parks the batches a Gateway died sending
/// (<see cref="UsageParking.SendingKey"/>). Replays are safe because ingestion is idempotent.
/// </summary>
public sealed class UsageReplayer(
    IConnectionMultiplexer redis,
    UsageApiClient usageApi,
    UsageDeadLetters deadLetters,
    UsageMetrics metrics,
    IOptions<UsageOptions> options,
    TimeProvider time,
    ILogger<UsageReplayer> logger) : BackgroundService
{
    private const int EntriesPerRead = 10;

    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():n}";
    private bool _groupReady;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReplayInterval, time);
        do
        {
            try
            {
                var recovered = await ParkAbandonedSendsAsync();
                if (recovered > 0)
                {
                    UsageLog.AbandonedSendsParked(logger, recovered);
                }

                var replayed = await ReplayAsync(stoppingToken);
                if (replayed > 0)
                {
                    UsageLog.Replayed(logger, replayed);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _groupReady = false;
                UsageLog.ReplayFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    /// <summary>Replays until the stream is empty or UsageApi stops taking batches; returns the batches delivered.</summary>
    public async Task<int> ReplayAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        await EnsureGroupAsync(db);
        var delivered = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Entries this consumer read before but could not deliver come first, then new ones, then abandoned ones.
            var entries = await db.StreamReadGroupAsync(UsageStreamFormat.StreamKey, UsageStreamFormat.ConsumerGroup, _consumer, "0", EntriesPerRead);
            if (entries.Length == 0)
            {
                entries = await db.StreamReadGroupAsync(UsageStreamFormat.StreamKey, UsageStreamFormat.ConsumerGroup, _consumer, ">", EntriesPerRead);
            }

            if (entries.Length == 0)
            {
                // A live replica re-reads what it holds every ReplayInterval, which keeps it from going idle.
                var claimed = await db.StreamAutoClaimAsync(UsageStreamFormat.StreamKey, UsageStreamFormat.ConsumerGroup, _consumer,
                    (long)options.Value.AbandonedSendAge.TotalMilliseconds, "0-0", EntriesPerRead);
                entries = claimed.ClaimedEntries;
            }

            if (entries.Length == 0)
            {
                return delivered;
            }

            foreach (var entry in entries)
            {
                var batch = (byte[]?)entry[UsageStreamFormat.BatchField];
                var count = (int)entry[UsageStreamFormat.CountField];
                var result = batch is null ? DeliveryResult.Rejected : await usageApi.SendAsync(batch, cancellationToken);
                if (result == DeliveryResult.Retry)
                {
                    return delivered;
                }

                if (result == DeliveryResult.Rejected)
                {
                    await deadLetters.SetAsideAsync(batch ?? [], count);
                }
                else
                {
                    delivered++;
                    metrics.Delivered(count);
                }

                await db.StreamAcknowledgeAsync(UsageStreamFormat.StreamKey, UsageStreamFormat.ConsumerGroup, entry.Id);
                await db.StreamDeleteAsync(UsageStreamFormat.StreamKey, [entry.Id]);
            }
        }

        return delivered;
    }

    /// <summary>
    /// Parks the batches a Gateway began sending longer ago than <see cref="UsageOptions.AbandonedSendAge"/>: a live one
    /// has delivered or parked them by then, so their Gateway died in between. Returns how many were parked.
    /// </summary>
    public async Task<int> ParkAbandonedSendsAsync()
    {
        var db = redis.GetDatabase();
        // Entry ids are Redis's clock, so the age is measured on it too: the replicas' clocks do not matter.
        var serverTime = (RedisResult[])(await db.ExecuteAsync("TIME"))!;
        var now = DateTimeOffset.FromUnixTimeSeconds((long)serverTime[0]).AddTicks((long)serverTime[1] * TimeSpan.TicksPerMicrosecond);
        var newest = (now - options.Value.AbandonedSendAge).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var parked = 0;
        while (true)
        {
            var entries = await db.StreamRangeAsync(UsageParking.SendingKey, "-", newest, EntriesPerRead);
            if (entries.Length == 0)
            {
                return parked;
            }

            foreach (var entry in entries)
            {
                // Parked, then removed: two replicas doing this at once park the batch twice, which idempotent ingestion
                // absorbs, whereas the other order would lose it if Redis failed in between.
                await db.StreamAddAsync(UsageStreamFormat.StreamKey, entry.Values);
                await db.StreamDeleteAsync(UsageParking.SendingKey, [entry.Id]);
                parked++;
            }
        }
    }

    private async Task EnsureGroupAsync(IDatabase db)
    {
        if (_groupReady)
        {
            return;
        }

        try
        {
            await db.StreamCreateConsumerGroupAsync(UsageStreamFormat.StreamKey, UsageStreamFormat.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica (or an earlier run) created it.
        }

        _groupReady = true;
    }
}
