using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// Brings Redis back in line with Postgres whenever they may differ, so that Gateways, which read only Redis, see every
/// key as Postgres holds it:
/// <list type="number">
/// <item>at start-up: writes the record of every key (live ones and recent tombstones), so a flushed Redis is repaired;</item>
/// <item>when the Redis connection comes back: the same, since a restarted Redis may have lost everything;</item>
/// <item>for each key whose write failed during a request (<see cref="Schedule"/>): writes it again, with backoff,
/// until Redis takes it.</item>
/// </list>
/// Each pass reads the keys from Postgres again, so it writes their newest state, never the one of the failed attempt.
/// </summary>
/// <remarks>
/// Threading: <see cref="Schedule"/> and <see cref="RequestResync"/> may be called from any thread; a bounded channel
/// carries the ids to the one loop that writes. When the channel is full, a full re-sync replaces the lost ids.
/// </remarks>
public sealed class KeyRecordSync : RedisResyncService
{
    private const int BatchSize = 256;

    private readonly KeyStore _store;
    private readonly KeyRecordWriter _writer;
    private readonly KeysOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<KeyRecordSync> _logger;
    private readonly Channel<Guid> _pending;

    // 1 when a full re-sync is due; starts at 1 for the start-up re-sync.
    private int _resyncRequested = 1;

    public KeyRecordSync(
        KeyStore store,
        KeyRecordWriter writer,
        IConnectionMultiplexer redis,
        IOptions<KeysOptions> options,
        TimeProvider time,
        ILogger<KeyRecordSync> logger)
        : base(redis)
    {
        _store = store;
        _writer = writer;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _pending = Channel.CreateBounded<Guid>(new BoundedChannelOptions(_options.SyncQueueCapacity) { SingleReader = true });
    }

    /// <summary>Asks for the record of key <paramref name="id"/> to be written again, from Postgres's current state.</summary>
    public void Schedule(Guid id)
    {
        if (!_pending.Writer.TryWrite(id))
        {
            KeysLog.KeyRecordQueueFull(_logger);
            RequestResync();
        }
    }

    /// <summary>Asks for every key's record to be written again.</summary>
    public override void RequestResync()
    {
        Volatile.Write(ref _resyncRequested, 1);
        // Wakes the loop; if the channel is full the loop is awake anyway.
        _pending.Writer.TryWrite(Guid.Empty);
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var pending = new HashSet<Guid>();
        var delay = _options.SyncRetryInitialDelay;
        while (true)
        {
            // 1. Collect what was asked for since the last pass.
            while (_pending.Reader.TryRead(out var id))
            {
                if (id != Guid.Empty)
                {
                    pending.Add(id);
                }
            }

            // 2. A full re-sync when due. It reads every key after the pending ids were collected, so it covers them.
            string? failure = null;
            if (Interlocked.Exchange(ref _resyncRequested, 0) == 1)
            {
                failure = await TryResyncAllAsync(stoppingToken);
                if (failure is null)
                {
                    pending.Clear();
                }
                else
                {
                    Volatile.Write(ref _resyncRequested, 1);
                    KeysLog.KeyRecordsResyncFailed(_logger, delay, failure);
                }
            }

            // 3. The keys whose write failed, one by one.
            if (failure is null && pending.Count > 0)
            {
                failure = await TryWritePendingAsync(pending, stoppingToken);
                if (failure is not null)
                {
                    KeysLog.DeferredKeyRecordsFailed(_logger, pending.Count, delay, failure);
                }
            }

            // 4. All done: sleep until asked again. Otherwise back off and try again.
            if (failure is null)
            {
                delay = _options.SyncRetryInitialDelay;
                if (!await _pending.Reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                continue;
            }

            await Task.Delay(delay, _time, stoppingToken);
            delay = NextDelay(delay, _options.SyncRetryMaxDelay);
        }
    }

    /// <summary>Writes every key that should have a record; returns why it failed, or null.</summary>
    private async Task<string?> TryResyncAllAsync(CancellationToken stoppingToken)
    {
        if (!_writer.IsConnected)
        {
            return "Redis is not connected";
        }

        try
        {
            var count = 0;
            var batch = new List<ApiKey>(BatchSize);
            var revokedAfter = _time.GetUtcNow() - _options.RevokedRecordTtl;
            await foreach (var key in _store.ListForSyncAsync(revokedAfter, stoppingToken))
            {
                batch.Add(key);
                if (batch.Count == BatchSize)
                {
                    count += await WriteBatchAsync(batch);
                }
            }

            count += await WriteBatchAsync(batch);
            KeysLog.KeyRecordsResynced(_logger, count);
            return null;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            return ex.Message;
        }
    }

    // The multiplexer pipelines the batch's scripts on one connection.
    private async Task<int> WriteBatchAsync(List<ApiKey> batch)
    {
        await Task.WhenAll(batch.Select(_writer.WriteAsync));
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    /// <summary>Writes the pending keys, removing each one written; returns why it stopped, or null when all are written.</summary>
    private async Task<string?> TryWritePendingAsync(HashSet<Guid> pending, CancellationToken stoppingToken)
    {
        if (!_writer.IsConnected)
        {
            return "Redis is not connected";
        }

        var written = 0;
        try
        {
            foreach (var id in pending.ToList())
            {
                if (await _store.GetAsync(id, stoppingToken) is { } key && !await _writer.WriteAsync(key))
                {
                    KeysLog.StaleKeyRecordSkipped(_logger, key.Id, key.Version);
                }

                pending.Remove(id);
                written++;
            }

            return null;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            return ex.Message;
        }
        finally
        {
            if (written > 0)
            {
                KeysLog.DeferredKeyRecordsWritten(_logger, written);
            }
        }
    }

    protected override void OnRedisConnectionRestored() => KeysLog.RedisConnectionRestored(_logger);
}
