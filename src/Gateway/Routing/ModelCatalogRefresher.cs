using System.Threading.Channels;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace AiPlatform.Gateway.Routing;

/// <summary>
/// Loads the <see cref="ModelCatalog"/> before the Gateway takes requests, so that a broken model table stops the
/// Gateway with a message instead of failing its first request; then loads it again, without a restart, whenever the
/// configuration changes (appsettings.json, models.json), service discovery reports a change (a replica added or
/// removed), or a worker announces itself or stops beating. A changed configuration that does not validate is refused
/// and logged, and the last good one stays in use.
/// </summary>
internal sealed class ModelCatalogRefresher(
    ModelCatalog catalog,
    IConfiguration configuration,
    IOptions<ModelRoutingOptions> startOptions,
    IValidateOptions<ModelRoutingOptions> validator,
    WorkerDirectory workers,
    IOptions<ServiceDiscoveryOptions> discovery,
    TimeProvider time,
    ILogger<ModelCatalogRefresher> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ModelRoutingOptions _options = null!;
    private IChangeToken _discoveryChanged = NullChangeToken.Singleton;
    private volatile bool _configurationChanged;
    private IDisposable? _configurationWatch;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Validated on start (ValidateOnStart): a broken table never gets this far.
        _options = startOptions.Value;
        _discoveryChanged = await catalog.LoadAsync(_options, workers.Current, cancellationToken);
        _configurationWatch = ChangeToken.OnChange(configuration.GetReloadToken, () =>
        {
            _configurationChanged = true;
            Wake();
        });
        workers.MembershipChanged += Wake;
        workers.Refreshed += catalog.ApplyLoads;
        await base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _configurationWatch?.Dispose();
        workers.MembershipChanged -= Wake;
        workers.Refreshed -= catalog.ApplyLoads;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await WaitForChangeAsync(stoppingToken))
        {
            if (_configurationChanged)
            {
                _configurationChanged = false;
                _options = ReadConfiguration() ?? _options;
            }

            try
            {
                _discoveryChanged = await catalog.LoadAsync(_options, workers.Current, stoppingToken);
                RoutingLog.CatalogReloaded(logger, catalog.Names.Count);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                RoutingLog.CatalogReloadFailed(logger, ex);
                // Nothing to watch after a failure: try again after discovery's own polling period.
                _discoveryChanged = NullChangeToken.Singleton;
            }
        }
    }

    /// <summary>The changed configuration when it binds and validates; null (and an error in the log) when not.</summary>
    private ModelRoutingOptions? ReadConfiguration()
    {
        var options = new ModelRoutingOptions();
        try
        {
            configuration.GetSection(ModelRoutingOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            RoutingLog.ConfigurationRefused(logger, ex.Message);
            return null;
        }

        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            RoutingLog.ConfigurationRefused(logger, result.FailureMessage);
            return null;
        }

        return options;
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>False once the host stops.</summary>
    private async Task<bool> WaitForChangeAsync(CancellationToken stoppingToken)
    {
        using var wakeOnDiscovery = _discoveryChanged.ActiveChangeCallbacks
            ? _discoveryChanged.RegisterChangeCallback(static state => ((ModelCatalogRefresher)state!).Wake(), this)
            : null;
        try
        {
            var woken = _wake.Reader.WaitToReadAsync(stoppingToken).AsTask();
            if (_discoveryChanged.ActiveChangeCallbacks)
            {
                await woken;
            }
            else
            {
                // A discovery source that cannot notify is polled, as discovery itself does.
                await Task.WhenAny(woken, Task.Delay(discovery.Value.RefreshPeriod, time, stoppingToken));
                stoppingToken.ThrowIfCancellationRequested();
            }

            _wake.Reader.TryRead(out _);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
