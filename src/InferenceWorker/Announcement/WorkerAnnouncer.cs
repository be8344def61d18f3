using AiPlatform.ServiceDefaults.Hosting;
using AiPlatform.ServiceDefaults.Workers;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using IHttpServer = Microsoft.AspNetCore.Hosting.Server.IServer;

namespace AiPlatform.InferenceWorker.Announcement;

/// <summary>
/// Announces the worker in Redis so that Gateways find it without configuration: once the server listens, every
/// <see cref="AnnounceOptions.Interval"/> it writes its <see cref="WorkerAnnouncement"/> under
/// <c>aig:worker:{id}</c> with a TTL and adds its id to <c>aig:workers</c>; when the host stops gracefully it deletes
/// both. A worker that dies is forgotten when its key expires.
/// </summary>
/// <remarks>
/// Apart from request handling: it reads a snapshot of admission control's figures and holds no request up. A Redis
/// outage does not stop it: a failed beat is logged once per outage and the next beat tries again.
/// </remarks>
internal sealed partial class WorkerAnnouncer(
    IOptions<AnnounceOptions> options,
    WorkerProfile profile,
    WorkerLoadReader load,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<WorkerAnnouncer> logger) : BackgroundService
{
    private static readonly TimeSpan s_withdrawTimeout = TimeSpan.FromSeconds(2);

    private readonly AnnounceOptions _options = options.Value;

    // vLLM's /metrics must be read within a beat, and a server that needs more than a second for it is in trouble anyway.
    private readonly TimeSpan _vllmTimeout = options.Value.Interval < TimeSpan.FromSeconds(1) ? options.Value.Interval : TimeSpan.FromSeconds(1);
    private readonly Outage _redisOutage = new();

    /// <summary>
    /// 1. gives up at once, with one line saying why, when announcing is off or no Redis is configured;
    /// 2. waits until the server listens, for the address it announces;
    /// 3. beats until the host stops;
    /// 4. withdraws the announcement.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // 1.
        if (!_options.Enabled)
        {
            Log.Off(logger, "Inference:Announce:Enabled is false");
            return;
        }

        if (!services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(IConnectionMultiplexer)))
        {
            Log.Off(logger, "no ConnectionStrings:cache is configured");
            return;
        }

        // 2.
        if (!await StartedAsync(stoppingToken))
        {
            return;
        }

        var listening = services.GetService<IHttpServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (WorkerAddress.Choose(_options.Address, listening) is not { } address)
        {
            Log.NoAddress(logger);
            return;
        }

        // Resolved only now: creating the multiplexer connects, which must neither delay the server's start nor happen
        // on a worker that does not announce. A connection string it cannot use ends the announcing, not the serving.
        IDatabase redis;
        try
        {
            redis = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        }
        catch (Exception exception)
        {
            Log.RedisUnusable(logger, exception.GetType().Name, exception.Message);
            return;
        }

        var id = string.IsNullOrEmpty(_options.Id) ? WorkerAddress.DefaultId(address) : _options.Id;
        Log.Announcing(logger, id, address, _options.Interval);

        // 3.
        using var timer = new PeriodicTimer(_options.Interval, time);
        do
        {
            await BeatAsync(redis, id, address, stoppingToken);
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));

        // 4.
        await WithdrawAsync(redis, id);
    }

    /// <summary>Writes the announcement and its index entry in one transaction; never throws.</summary>
    private async Task BeatAsync(IDatabase redis, string id, string address, CancellationToken stoppingToken)
    {
        try
        {
            var figures = await load.ReadAsync(_vllmTimeout, stoppingToken);
            var announcement = new WorkerAnnouncement
            {
                Id = id,
                Address = address,
                Engine = profile.Engine,
                Models = profile.Models,
                Running = figures.Running,
                Waiting = figures.Waiting,
                MaxRunning = figures.MaxRunning,
                MaxWaiting = figures.MaxWaiting,
                KvCacheUsage = figures.KvCacheUsage,
                UpdatedAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            };

            // The commands' own tasks are not awaited: EXEC's outcome is theirs, and when EXEC cannot be sent (Redis down)
            // they are never completed at all.
            var transaction = redis.CreateTransaction();
            _ = transaction.StringSetAsync(WorkerDirectoryKeys.Of(id), WorkerAnnouncementFormat.Serialize(announcement), _options.Ttl);
            _ = transaction.SetAddAsync(WorkerDirectoryKeys.Index, id);
            await transaction.ExecuteAsync();

            if (_redisOutage.Succeeds())
            {
                Log.RedisBack(logger, id);
            }
        }
        catch (Exception exception)
        {
            // Whatever one beat meets (Redis down or slow, a bug) must not end the announcements: the next beat tries
            // again. When the host is stopping, the withdrawal follows instead.
            if (!stoppingToken.IsCancellationRequested && _redisOutage.Fails())
            {
                Log.RedisDown(logger, exception.GetType().Name, exception.Message, _options.Ttl);
            }
        }
    }

    /// <summary>Deletes the announcement and the index entry, so that Gateways stop routing here at once rather than after the TTL.</summary>
    private async Task WithdrawAsync(IDatabase redis, string id)
    {
        try
        {
            var transaction = redis.CreateTransaction();
            _ = transaction.KeyDeleteAsync(WorkerDirectoryKeys.Of(id));
            _ = transaction.SetRemoveAsync(WorkerDirectoryKeys.Index, id);
            await transaction.ExecuteAsync().WaitAsync(s_withdrawTimeout, time);
            Log.Withdrawn(logger, id);
        }
        catch (Exception exception)
        {
            Log.WithdrawFailed(logger, id, exception.GetType().Name, _options.Ttl);
        }
    }

    /// <summary>Waits for <see cref="IHostApplicationLifetime.ApplicationStarted"/>; false if the host stops first.</summary>
    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetResult()))
        {
            await started.Task;
        }

        return !stoppingToken.IsCancellationRequested;
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.AnnouncementOff, LogLevel.Information, "Worker announcement is off: {Reason}.")]
        public static partial void Off(ILogger logger, string reason);

        [LoggerMessage(LogEvents.AnnouncementNoAddress, LogLevel.Warning,
            "Worker announcement is off: the server listens on no TCP address; set Inference:Announce:Address.")]
        public static partial void NoAddress(ILogger logger);

        [LoggerMessage(LogEvents.AnnouncementRedisUnusable, LogLevel.Error,
            "Worker announcement is off: ConnectionStrings:cache cannot be used ({Exception}: {Message}).")]
        public static partial void RedisUnusable(ILogger logger, string exception, string message);

        [LoggerMessage(LogEvents.Announcing, LogLevel.Information, "Announcing worker {Id} at {Address} in Redis every {Interval}.")]
        public static partial void Announcing(ILogger logger, string id, string address, TimeSpan interval);

        [LoggerMessage(LogEvents.AnnouncementRedisDown, LogLevel.Warning,
            "Cannot announce the worker in Redis ({Exception}: {Message}); serving on, retrying every beat. Gateways forget it after {Ttl}.")]
        public static partial void RedisDown(ILogger logger, string exception, string message, TimeSpan ttl);

        [LoggerMessage(LogEvents.AnnouncementRedisBack, LogLevel.Information, "Worker {Id} is announced in Redis again.")]
        public static partial void RedisBack(ILogger logger, string id);

        [LoggerMessage(LogEvents.AnnouncementWithdrawn, LogLevel.Information, "Worker {Id} withdrew its announcement.")]
        public static partial void Withdrawn(ILogger logger, string id);

        [LoggerMessage(LogEvents.AnnouncementWithdrawFailed, LogLevel.Warning,
            "Worker {Id} could not withdraw its announcement ({Exception}); it expires within {Ttl}.")]
        public static partial void WithdrawFailed(ILogger logger, string id, string exception, TimeSpan ttl);
    }
}
