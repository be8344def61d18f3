using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.UsageApi.Prices;

/// <summary>
/// Keeps the Redis copy of the price table (<see cref="PriceRecordFormat"/>) equal to Postgres: rewrites it whole at
/// start-up, when the Redis connection comes back (a restarted Redis may have lost it), and after every change
/// (<see cref="PublishAsync"/>). Postgres is the truth and its change already happened, so a Redis failure never fails
/// the request: the rewrite is retried in the background with backoff. Each attempt reads the table again, so it
/// writes the newest prices, never those of the failed attempt.
/// </summary>
/// <remarks>
/// Threading: <see cref="RequestResync"/> and <see cref="PublishAsync"/> may be called from any thread; a channel of
/// one wakes the single loop that retries.
/// </remarks>
public sealed class PriceSync : RedisResyncService
{
    private readonly PriceStore _store;
    private readonly PriceRedisWriter _writer;
    private readonly PricesOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PriceSync> _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public PriceSync(
        PriceStore store,
        PriceRedisWriter writer,
        IConnectionMultiplexer redis,
        IOptions<PricesOptions> options,
        TimeProvider time,
        ILogger<PriceSync> logger)
        : base(redis)
    {
        _store = store;
        _writer = writer;
        _options = options.Value;
        _time = time;
        _logger = logger;
        // The start-up rewrite.
        RequestResync();
    }

    /// <summary>Asks for the hash to be rewritten from Postgres in the background.</summary>
    public override void RequestResync() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Rewrites the hash now, after a change, waiting at most <see cref="PricesOptions.RedisWriteTimeout"/>; on any
    /// failure leaves it to the background loop. Never throws.
    /// </summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var failure = await TryWriteAsync(cancellationToken, _options.RedisWriteTimeout);
        if (failure is not null)
        {
            PricesLog.PricesDeferred(_logger, failure);
            RequestResync();
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var delay = _options.SyncRetryInitialDelay;
        while (await _wake.Reader.WaitToReadAsync(stoppingToken))
        {
            _wake.Reader.TryRead(out _);
            if (await TryWriteAsync(stoppingToken, timeout: null) is not { } failure)
            {
                delay = _options.SyncRetryInitialDelay;
                continue;
            }

            PricesLog.PricesResyncFailed(_logger, delay, failure);
            await Task.Delay(delay, _time, stoppingToken);
            delay = NextDelay(delay, _options.SyncRetryMaxDelay);
            RequestResync();
        }
    }

    /// <summary>Reads the table and writes it; returns why it failed, or null.</summary>
    private async Task<string?> TryWriteAsync(CancellationToken cancellationToken, TimeSpan? timeout)
    {
        if (!_writer.IsConnected)
        {
            return "Redis is not connected";
        }

        try
        {
            var snapshot = await _store.ReadSnapshotAsync(cancellationToken);
            var write = _writer.WriteAsync(snapshot);
            var written = timeout is { } limit ? await write.WaitAsync(limit, cancellationToken) : await write;
            if (written)
            {
                PricesLog.PricesWritten(_logger, snapshot.Prices.Count, snapshot.Version);
            }

            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return ex.Message;
        }
    }
}
