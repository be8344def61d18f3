using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// Sends queued usage events to UsageApi in batches (by size or by age, whichever comes first). A batch UsageApi does
/// not take is parked in the Redis Stream for <see cref="UsageReplayer"/>; when Redis cannot take it either, the
/// shipper keeps it and tries both again, while new events wait in the bounded queue. At shutdown (after the server
/// has finished its requests) everything still queued is handed over before the process exits.
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
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var reader = recorder.Queue;
        var batch = new List<UsageEvent>(settings.BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await FillAsync(batch, settings, stoppingToken);
                await HandOverAsync(batch, giveUpAt: null, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: drain below.
        }

        await DrainAsync(batch, settings);
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

    private async Task DrainAsync(List<UsageEvent> batch, UsageOptions settings)
    {
        recorder.Complete();
        var giveUpAt = time.GetUtcNow() + settings.ShutdownFlushTimeout;
        while (true)
        {
            while (batch.Count < settings.BatchSize && recorder.Queue.TryRead(out var usageEvent))
            {
                batch.Add(usageEvent);
            }

            if (batch.Count == 0)
            {
                return;
            }

            await HandOverAsync(batch, giveUpAt, CancellationToken.None);
        }
    }

    /// <summary>Delivers or parks the batch, retrying both until one works (or, at shutdown, until the deadline).</summary>
    private async Task HandOverAsync(List<UsageEvent> batch, DateTimeOffset? giveUpAt, CancellationToken stoppingToken)
    {
        foreach (var (json, count) in Bodies(batch, options.Value.MaxBatchBytes))
        {
            giveUpAt = await HandOverAsync(json, count, giveUpAt, stoppingToken);
        }

        batch.Clear();
    }

    /// <summary>
    /// The batch as JSON bodies of at most <paramref name="maxBytes"/>: whole when it fits, as it does unless events carry
    /// large payloads; otherwise halved until each part fits. An event alone goes as it is.
    /// </summary>
    internal static IEnumerable<(byte[] Json, int Count)> Bodies(IReadOnlyList<UsageEvent> events, int maxBytes)
    {
        if (events.Count == 0)
        {
            yield break;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new UsageBatch(events), UsageJsonContext.Default.UsageBatch);
        if (json.Length <= maxBytes || events.Count == 1)
        {
            yield return (json, events.Count);
            yield break;
        }

        var half = events.Count / 2;
        foreach (var body in Bodies([.. events.Take(half)], maxBytes))
        {
            yield return body;
        }

        foreach (var body in Bodies([.. events.Skip(half)], maxBytes))
        {
            yield return body;
        }
    }

    /// <summary>One body's hand-over; returns the shutdown deadline, set once shutdown began while both were down.</summary>
    private async Task<DateTimeOffset?> HandOverAsync(byte[] json, int count, DateTimeOffset? giveUpAt, CancellationToken stoppingToken)
    {
        while (true)
        {
            var result = await usageApi.SendAsync(json, CancellationToken.None);
            if (result == DeliveryResult.Delivered)
            {
                metrics.Delivered(count);
                return giveUpAt;
            }

            if (result == DeliveryResult.Rejected)
            {
                await deadLetters.SetAsideAsync(json, count);
                return giveUpAt;
            }

            if (await parking.TryParkAsync(json, count))
            {
                UsageLog.BatchParked(logger, count);
                return giveUpAt;
            }

            if (giveUpAt is { } deadline && time.GetUtcNow() >= deadline)
            {
                metrics.Dropped(count);
                UsageLog.BatchDropped(logger, count);
                return giveUpAt;
            }

            try
            {
                await Task.Delay(s_retryDelay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // Shutdown began while both were down: keep trying until the shutdown deadline.
                giveUpAt ??= time.GetUtcNow() + options.Value.ShutdownFlushTimeout;
            }
        }
    }
}
