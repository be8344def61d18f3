using AiPlatform.Gateway.Routing;
using AiPlatform.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace AiPlatform.Gateway.Tests.Routing;

/// <summary>The catalog over the real service discovery, reading an in-memory configuration.</summary>
public sealed class ModelCatalogTests : IAsyncDisposable
{
    private readonly IConfigurationRoot _configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:Service"] = "inference",
        })
        .Build();

    private ServiceProvider? _services;

    [Fact]
    public async Task LoadAsync_ServiceWithTwoEndpoints_EachIsATarget()
    {
        _configuration["services:inference:http:0"] = "http://127.0.0.1:8082";
        _configuration["services:inference:http:1"] = "http://127.0.0.1:8083";
        var catalog = CreateCatalog();

        await catalog.LoadAsync(Options(), [], CancellationToken.None);

        Assert.True(catalog.TryGetRoute("sim", out var route));
        Assert.Equal(
            ["inference@127.0.0.1:8082", "inference@127.0.0.1:8083"],
            route.Targets.Select(t => t.Label).Order());
        Assert.All(route.Targets, t => Assert.Equal("/v1/", t.BaseAddress.AbsolutePath));
    }

    [Fact]
    public async Task LoadAsync_ServiceNotConfigured_ThrowsNamingTheKey()
    {
        var catalog = CreateCatalog();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.LoadAsync(Options(), [], CancellationToken.None));

        Assert.Contains("services__inference__http__0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_EndpointWithoutScheme_ThrowsAskingForAUri()
    {
        _configuration["services:inference:http:0"] = "127.0.0.1:8082";
        var catalog = CreateCatalog();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.LoadAsync(Options(), [], CancellationToken.None));

        Assert.Contains("http://127.0.0.1:8082", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresher_ReplicaAddedToConfiguration_BecomesATargetWithoutRestart()
    {
        _configuration["services:inference:http:0"] = "http://127.0.0.1:8082";
        var catalog = CreateCatalog();
        var refresher = new ModelCatalogRefresher(catalog, _configuration, _services!.GetRequiredService<IOptions<ModelRoutingOptions>>(),
            new ModelRoutingOptionsValidator(), Workers(), _services!.GetRequiredService<IOptions<ServiceDiscoveryOptions>>(),
            TimeProvider.System, NullLogger<ModelCatalogRefresher>.Instance);
        await refresher.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(catalog.TryGetRoute("sim", out var before));
            Assert.Single(before.Targets);

            _configuration["services:inference:http:1"] = "http://127.0.0.1:8083";
            _configuration.Reload();

            await Eventually.TrueAsync(
                () => Task.FromResult(catalog.TryGetRoute("sim", out var after) && after.Targets.Count == 2),
                TestTimeouts.Default, "the second replica was not routed to");
        }
        finally
        {
            await refresher.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    private ModelRoutingOptions Options() => _services!.GetRequiredService<IOptions<ModelRoutingOptions>>().Value;

    /// <summary>A directory that is switched off: these tests are about configured targets.</summary>
    private static WorkerDirectory Workers() => new(null!, Microsoft.Extensions.Options.Options.Create(new WorkerDirectoryOptions { Enabled = false }),
        TimeProvider.System, NullLogger<WorkerDirectory>.Instance);

    private ModelCatalog CreateCatalog()
    {
        _services = CatalogServices.Create(_configuration);
        return _services.GetRequiredService<ModelCatalog>();
    }
}
