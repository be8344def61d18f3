using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace AiPlatform.Gateway.Routing;

/// <summary>
/// Loads the <see cref="ModelCatalog"/> before the Gateway takes requests, so that a model routed to an unconfigured
/// service stops the Gateway with a message instead of failing its first request; then loads it again each time
/// service discovery signals a change (a replica added or removed), without a restart.
/// </summary>
internal sealed class ModelCatalogRefresher(
    ModelCatalog catalog,
    IOptions<ServiceDiscoveryOptions> discovery,
    TimeProvider time,
    ILogger<ModelCatalogRefresher> logger) : BackgroundService
{
    /// <summary>Fires when discovery's answer may have changed; null when there is nothing to watch.</summary>
    private IChangeToken? _changed;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _changed = await catalog.LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!catalog.UsesServiceDiscovery)
        {
            return;
        }

        while (await WaitForChangeAsync(stoppingToken))
        {
            try
            {
                _changed = await catalog.LoadAsync(stoppingToken);
                RoutingLog.CatalogReloaded(logger);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                RoutingLog.CatalogReloadFailed(logger, ex);
                // Nothing to watch after a failure: try again after discovery's own polling period.
                _changed = null;
            }
        }
    }

    /// <summary>False once the host stops.</summary>
    private async Task<bool> WaitForChangeAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (_changed is not { ActiveChangeCallbacks: true })
            {
                // A source that cannot notify is polled, as discovery itself does.
                await Task.Delay(discovery.Value.RefreshPeriod, time, stoppingToken);
                return true;
            }

            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = _changed.RegisterChangeCallback(static state => ((TaskCompletionSource)state!).TrySetResult(), changed);
            await changed.Task.WaitAsync(stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
