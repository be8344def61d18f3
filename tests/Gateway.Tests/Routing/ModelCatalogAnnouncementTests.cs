using AiPlatform.Gateway.Routing;
using AiPlatform.ServiceDefaults.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Tests.Routing;

/// <summary>Announced workers joining the configured model table, over the real service discovery.</summary>
public sealed class ModelCatalogAnnouncementTests : IAsyncDisposable
{
    private readonly IConfigurationRoot _configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = "http://127.0.0.1:8082/v1",
            ["Gateway:Models:1:Name"] = "pooled",
            ["Gateway:Models:1:Targets:0:Service"] = "inference",
            ["services:inference:http:0"] = "http://127.0.0.1:9090",
        })
        .Build();

    private readonly ServiceProvider _services;
    private readonly ModelCatalog _catalog;

    public ModelCatalogAnnouncementTests()
    {
        _services = CatalogServices.Create(_configuration);
        _catalog = _services.GetRequiredService<ModelCatalog>();
    }

    private ModelRoutingOptions Options => _services.GetRequiredService<IOptions<ModelRoutingOptions>>().Value;

    [Fact]
    public async Task LoadAsync_AnnouncedAtTheAddressOfABaseUrlTarget_MergedIntoItWithItsLoad()
    {
        var worker = Announcement("w1", "http://127.0.0.1:8082/", ["sim"], waiting: 3, kvCache: 0.4);

        await _catalog.LoadAsync(Options, [worker], CancellationToken.None);

        Assert.True(_catalog.TryGetRoute("sim", out var route));
        var target = Assert.Single(route.Targets);
        Assert.Equal("127.0.0.1:8082", target.Label);
        Assert.Equal(new WorkerLoad(Running: 1, Waiting: 3, KvCacheUsage: 0.4), target.State.Load);
    }

    [Fact]
    public async Task LoadAsync_AnnouncedAtTheAddressOfAServiceReplica_MergedIntoIt()
    {
        var worker = Announcement("w1", "http://127.0.0.1:9090/", ["pooled"]);

        await _catalog.LoadAsync(Options, [worker], CancellationToken.None);

        Assert.True(_catalog.TryGetRoute("pooled", out var route));
        Assert.Equal("inference@127.0.0.1:9090", Assert.Single(route.Targets).Label);
    }

    [Fact]
    public async Task LoadAsync_AnnouncedElsewhere_JoinsTheConfiguredTargets()
    {
        var worker = Announcement("w2", "http://127.0.0.1:8083/", ["sim"]);

        await _catalog.LoadAsync(Options, [worker], CancellationToken.None);

        Assert.True(_catalog.TryGetRoute("sim", out var route));
        Assert.Equal(["127.0.0.1:8082", "simulator@127.0.0.1:8083"], route.Targets.Select(t => t.Label).Order());
        Assert.Equal(new Uri("http://127.0.0.1:8083/v1/"), route.Targets.Single(t => t.Label.StartsWith("simulator@", StringComparison.Ordinal)).BaseAddress);
    }

    [Fact]
    public async Task LoadAsync_ModelOnlyAnnounced_ServedAfterTheConfiguredOnes()
    {
        var worker = Announcement("w3", "http://127.0.0.1:8084/", ["llama3:8b"]);

        await _catalog.LoadAsync(Options, [worker], CancellationToken.None);

        Assert.Equal(["sim", "pooled", "llama3:8b"], _catalog.Names);
        Assert.True(_catalog.TryGetRoute("llama3:8b", out var route));
        Assert.Equal(Options.DefaultStrategy, route.Strategy);
        Assert.Equal("llama3:8b", Assert.Single(route.Targets).UpstreamModel);
    }

    [Fact]
    public async Task LoadAsync_WorkerGone_ItsModelAndTargetGoWhileOthersKeepTheirState()
    {
        var staying = Announcement("w1", "http://127.0.0.1:8082/", ["sim"]);
        var leaving = Announcement("w4", "http://127.0.0.1:8085/", ["sim", "only-here"]);
        await _catalog.LoadAsync(Options, [staying, leaving], CancellationToken.None);
        Assert.True(_catalog.TryGetRoute("sim", out var before));
        var kept = before.Targets.Single(t => t.Label == "127.0.0.1:8082").State;

        await _catalog.LoadAsync(Options, [staying], CancellationToken.None);

        Assert.False(_catalog.TryGetRoute("only-here", out _));
        Assert.True(_catalog.TryGetRoute("sim", out var after));
        // The state (requests in flight, ejection) belongs to the address and survives the reload.
        Assert.Same(kept, Assert.Single(after.Targets).State);
    }

    [Fact]
    public async Task ApplyLoads_NewFigures_ReachTheTargetWithoutAReload()
    {
        await _catalog.LoadAsync(Options, [Announcement("w2", "http://127.0.0.1:8083/", ["sim"], waiting: 0)], CancellationToken.None);

        _catalog.ApplyLoads([Announcement("w2", "http://127.0.0.1:8083/", ["sim"], waiting: 7)]);

        Assert.True(_catalog.TryGetRoute("sim", out var route));
        Assert.Equal(7, route.Targets.Single(t => t.Label == "simulator@127.0.0.1:8083").State.Load?.Waiting);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private static WorkerAnnouncement Announcement(string id, string address, string[] models, int waiting = 0, double? kvCache = null) => new()
    {
        Id = id,
        Address = address,
        Engine = "simulator",
        Models = models,
        Running = 1,
        Waiting = waiting,
        MaxRunning = 16,
        MaxWaiting = 256,
        KvCacheUsage = kvCache,
        UpdatedAtUnixMs = 0,
    };
}
