using AiPlatform.ServiceDefaults.Hosting;
using AiPlatform.ServiceDefaults.Workers;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Routing;

/// <summary>
/// The workers announced in Redis (<see cref="WorkerDirectoryKeys"/>), read every <see cref="WorkerDirectoryOptions.RefreshInterval"/>:
/// the index set, then every announcement in one <c>MGET</c>. An id whose announcement expired (the worker stopped
/// beating) is dropped from the index. Redis being down keeps the last list: workers already known stay routable, and
/// outlier ejection takes care of any that died meanwhile.
/// </summary>
public sealed class WorkerDirectory(
    IConnectionMultiplexer redis,
    IOptions<WorkerDirectoryOptions> options,
    TimeProvider time,
    ILogger<WorkerDirectory> logger) : BackgroundService
{
    private string _membership = "";
    private readonly Outage _redisOutage = new();

    /// <summary>The live announcements, as last read.</summary>
    public IReadOnlyList<WorkerAnnouncement> Current { get; private set; } = [];

    /// <summary>Raised after a refresh in which a worker came, went, or changed its address or models.</summary>
    public event Action? MembershipChanged;

    /// <summary>Raised after every successful refresh, with the loads just read.</summary>
    public event Action<IReadOnlyList<WorkerAnnouncement>>? Refreshed;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            // Workers started before the Gateway are routable from its first request.
            await RefreshAsync();
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken))
        {
            await RefreshAsync();
        }
    }

    internal async Task RefreshAsync()
    {
        IReadOnlyList<WorkerAnnouncement> workers;
        try
        {
            workers = await ReadAsync(redis.GetDatabase());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (_redisOutage.Fails())
            {
                RoutingLog.WorkerDirectoryUnavailable(logger, ex.Message);
            }

            return;
        }

        if (_redisOutage.Succeeds())
        {
            RoutingLog.WorkerDirectoryBack(logger);
        }

        Current = workers;
        var membership = string.Join('\n', workers.Select(w => $"{w.Id} {w.Address} {string.Join(',', w.Models)}").Order(StringComparer.Ordinal));
        if (membership != _membership)
        {
            _membership = membership;
            RoutingLog.WorkersChanged(logger, workers.Count);
            MembershipChanged?.Invoke();
        }

        Refreshed?.Invoke(workers);
    }

    private static async Task<IReadOnlyList<WorkerAnnouncement>> ReadAsync(IDatabase database)
    {
        var ids = await database.SetMembersAsync(WorkerDirectoryKeys.Index);
        if (ids.Length == 0)
        {
            return [];
        }

        var values = await database.StringGetAsync([.. ids.Select(id => (RedisKey)WorkerDirectoryKeys.Of(id!))]);
        var workers = new List<WorkerAnnouncement>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            if (values[i].IsNull)
            {
                // Its announcement expired: the worker stopped beating. A worker that is only slow re-adds itself.
                _ = database.SetRemoveAsync(WorkerDirectoryKeys.Index, ids[i], CommandFlags.FireAndForget);
            }
            else if (WorkerAnnouncementFormat.TryParse((byte[])values[i]!, out var worker) && IsRoutable(worker))
            {
                workers.Add(worker);
            }
        }

        return workers;
    }

    private static bool IsRoutable(WorkerAnnouncement worker) =>
        Uri.TryCreate(worker.Address, UriKind.Absolute, out var address) && address.Scheme is "http" or "https";
}
