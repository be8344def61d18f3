using System.Text.Json;
using System.Threading.Channels;
using AiPlatform.Gateway.Buffers;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// Sends queued usage events to UsageApi in batches (by size or by age, whichever comes first). Two loops: one cuts the
/// batches and keeps a copy of each in Redis (<see cref="UsageParking.TryHoldAsync"/>), the other sends them, so that an
/// event is in this process's memory only until its batch is cut, however long UsageApi takes: a Gateway killed outright
/// (SIGKILL, OOM) loses no more than its last <see cref="UsageOptions.FlushInterval"/>. A batch UsageApi does not take,
/// or one that would wait behind too many others, is parked in the Redis Stream for <see cref="UsageReplayer"/>; when
/// Redis cannot take it either, the sender keeps it and tries both again, while new batches and then new events wait in
/// their bounded queues. At shutdown (after the server has finished its requests) everything still queued is handed over
/// before the process exits.
/// </summary>
public sealed class UsageShipper(
    UsageRecorder recorder,
    UsageApiClient usageApi,
    UsageParking parking,
    UsageDeadLetters deadLetters,
    UsageMetrics metrics,
    IOptions<UsageOptions> options,
    TimeProvider time,
    ILogger<UsageShipper> logger) : BackgroundService
{
    /// <summary>Batches cut and waiting for the sender; further ones are parked for the replayer (or, with Redis down, wait).</summary>
    private const int BatchesAwaitingDelivery = 4;

    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(1);

    /// <summary>A body per batch in flight: those awaiting delivery, the one being delivered and the one being cut.</summary>
    private readonly UsageBodyBuffers _bodyBuffers = new(options.Value.BatchSize, BatchesAwaitingDelivery + 2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var reader = recorder.Queue;
        var batch = new List<UsageEvent>(settings.BatchSize);
        var cut = Channel.CreateBounded<CutBatch>(new BoundedChannelOptions(BatchesAwaitingDelivery) { SingleReader = true, SingleWriter = true });
        var sender = SendAllAsync(cut.Reader, stoppingToken);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await FillAsync(batch, settings, stoppingToken);
                await CutAsync(batch, cut);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: drain below.
        }

        await DrainAsync(batch, settings, cut);
        await sender;
    }

    /// <summary>Takes events until the batch is full or its first event has waited <see cref="UsageOptions.FlushInterval"/>.</summary>
    private async Task FillAsync(List<UsageEvent> batch, UsageOptions settings, CancellationToken stoppingToken)
    {
        var reader = recorder.Queue;
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        window.CancelAfter(settings.FlushInterval);
        while (batch.Count < settings.BatchSize)
        {
            while (batch.Count < settings.BatchSize && reader.TryRead(out var usageEvent))
            {
                batch.Add(usageEvent);
            }

            if (batch.Count >= settings.BatchSize)
            {
                return;
            }

            try
            {
                if (!await reader.WaitToReadAsync(window.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Hands the batch to the sender as bodies UsageApi takes, each kept in Redis first; when the sender lags behind (a slow
    /// UsageApi), parks them for the replayer instead, so that new events do not wait in memory meanwhile. Empties the batch.
    /// </summary>
    private async Task CutAsync(List<UsageEvent> batch, Channel<CutBatch> cut)
    {
        foreach (var (json, count) in Bodies(batch, options.Value.MaxBatchBytes, _bodyBuffers))
        {
            // The only writer: the count can only fall between this check and the write.
            if (cut.Reader.Count >= BatchesAwaitingDelivery && await parking.TryParkAsync(json.WrittenMemory, count))
            {
                UsageLog.BatchParkedBehindUsageApi(logger, count);
                json.Dispose();
                continue;
            }

            var hold = await parking.TryHoldAsync(json.WrittenMemory, count);
            // Never cancelled: the sender always makes progress (delivered, parked, or dropped at the shutdown deadline).
            await cut.Writer.WriteAsync(new CutBatch(json, count, hold), CancellationToken.None);
        }

        batch.Clear();
    }

    private async Task DrainAsync(List<UsageEvent> batch, UsageOptions settings, Channel<CutBatch> cut)
    {
        recorder.Complete();
        while (recorder.Queue.TryRead(out var usageEvent))
        {
            batch.Add(usageEvent);
            if (batch.Count == settings.BatchSize)
            {
                await CutAsync(batch, cut);
            }
        }

        await CutAsync(batch, cut);
        cut.Writer.Complete();
    }

    /// <summary>
    /// The batch as JSON bodies of at most <paramref name="maxBytes"/>: whole when it fits, as it does unless events carry
    /// large payloads; otherwise halved until each part fits. An event alone goes as it is. Each body is written into a
    /// buffer of <paramref name="buffers"/> (a batch is hundreds of KB: a new array each time would go to the large object
    /// heap), which its owner gives back with <see cref="PooledBufferWriter.Dispose"/> once the batch is delivered, parked
    /// or dropped.
    /// </summary>
    internal static IEnumerable<(PooledBufferWriter Json, int Count)> Bodies(IReadOnlyList<UsageEvent> events, int maxBytes, UsageBodyBuffers buffers)
    {
        if (events.Count == 0)
        {
            yield break;
        }

        var json = Serialize(events, buffers);
        if (json.WrittenCount <= maxBytes || events.Count == 1)
        {
            yield return (json, events.Count);
            yield break;
        }

        json.Dispose();
        var half = events.Count / 2;
        foreach (var body in Bodies([.. events.Take(half)], maxBytes, buffers))
        {
            yield return body;
        }

        foreach (var body in Bodies([.. events.Skip(half)], maxBytes, buffers))
        {
            yield return body;
        }
    }

    private static PooledBufferWriter Serialize(IReadOnlyList<UsageEvent> events, UsageBodyBuffers buffers)
    {
        var json = buffers.Rent();
        using var writer = new Utf8JsonWriter(json);
        JsonSerializer.Serialize(writer, new UsageBatch(events), UsageJsonContext.Default.UsageBatch);
        return json;
    }

    /// <summary>Delivers the cut batches in order, until the cutting is done and nothing is left.</summary>
    private async Task SendAllAsync(ChannelReader<CutBatch> cut, CancellationToken stoppingToken)
    {
        DateTimeOffset? giveUpAt = null;
        await foreach (var batch in cut.ReadAllAsync(CancellationToken.None))
        {
            using (batch.Json)
            {
                giveUpAt = await HandOverAsync(batch, giveUpAt, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Delivers or parks one batch, retrying both until one works, or, once shutdown has begun while both were down, until
    /// the shutdown deadline; returns that deadline. A batch dropped then keeps its copy in Redis, if it got one.
    /// </summary>
    private async Task<DateTimeOffset?> HandOverAsync(CutBatch batch, DateTimeOffset? giveUpAt, CancellationToken stoppingToken)
    {
        while (true)
        {
            var result = await usageApi.SendAsync(batch.Json.WrittenMemory, CancellationToken.None);
            if (result == DeliveryResult.Delivered)
            {
                metrics.Delivered(batch.Count);
                await parking.ReleaseAsync(batch.Hold);
                return giveUpAt;
            }

            if (result == DeliveryResult.Rejected)
            {
                await deadLetters.SetAsideAsync(batch.Json.WrittenMemory, batch.Count);
                await parking.ReleaseAsync(batch.Hold);
                return giveUpAt;
            }

            if (await parking.TryParkAsync(batch.Json.WrittenMemory, batch.Count))
            {
                UsageLog.BatchParked(logger, batch.Count);
                await parking.ReleaseAsync(batch.Hold);
                return giveUpAt;
            }

            if (giveUpAt is { } deadline && time.GetUtcNow() >= deadline)
            {
                metrics.Dropped(batch.Count);
                UsageLog.BatchDropped(logger, batch.Count);
                return giveUpAt;
            }

            try
            {
                await Task.Delay(s_retryDelay, time, giveUpAt is null ? stoppingToken : CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                // Shutdown began while both were down: keep trying until the shutdown deadline.
                giveUpAt = time.GetUtcNow() + options.Value.ShutdownFlushTimeout;
            }
        }
    }

    /// <summary>A batch's JSON body and event count, and its copy in Redis (null when Redis could not take one).</summary>
    private sealed record CutBatch(PooledBufferWriter Json, int Count, RedisValue? Hold);
}
