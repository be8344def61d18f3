using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Tests.Auth;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;

namespace AiPlatform.Gateway.Tests.Usage;

/// <summary>
/// A Gateway with the ledger and the response cache on, shipping its usage events to a <see cref="FakeUsageApi"/> that
/// keeps them as sent. Models: <c>sim</c> (a simulator worker), <c>scripted</c> (a provider answering as the test's
/// script says) and <c>down</c> (a closed port). Two keys: the Gateway's own, without <c>log_payloads</c>, and
/// <see cref="LoggedKey"/>, with it. Payloads are cut at <see cref="PayloadMaxChars"/>.
/// </summary>
public sealed class UsageEventsFixture : IAsyncLifetime
{
    public const int PayloadMaxChars = 512;

    private readonly RedisServer _redis = new();
    private readonly List<IAsyncDisposable> _disposables = [];

    internal TestGateway Gateway { get; private set; } = null!;

    internal FakeUsageApi UsageApi { get; private set; } = null!;

    internal ScriptedProvider Provider { get; private set; } = null!;

    /// <summary>A key whose requests are logged with their payloads.</summary>
    public string LoggedKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        UsageApi = await FakeUsageApi.StartAsync();
        _disposables.Add(UsageApi);
        var worker = SimulatorWorker.Start();
        _disposables.Add(worker);
        Provider = await ScriptedProvider.StartAsync((_, context) => ScriptedProvider.Completion(context));
        _disposables.Add(Provider);
        LoggedKey = await TestKeys.SeedAsync(_redis.ConnectionString,
            new KeyRecord { Id = "key-" + Guid.NewGuid().ToString("n"), Name = "logs payloads", LogPayloads = true });

        Gateway = await TestGateway.StartAsync(_redis, new Dictionary<string, string?>
        {
            ["services:usageapi:http:0"] = UsageApi.Url,
            ["Gateway:Usage:Enabled"] = "true",
            ["Gateway:Usage:FlushInterval"] = "00:00:00.100",
            ["Gateway:Usage:PayloadMaxChars"] = PayloadMaxChars.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // On, so that a miss is captured by the cache and the payload log together, and a hit answers from the cache.
            ["Gateway:Cache:Enabled"] = "true",
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = worker.ApiUrl,
            ["Gateway:Models:1:Name"] = "scripted",
            ["Gateway:Models:1:Targets:0:BaseUrl"] = Provider.ApiUrl,
            ["Gateway:Models:2:Name"] = "down",
            ["Gateway:Models:2:Targets:0:BaseUrl"] = TestGateway.ClosedTargetUrls(1)[0],
        });
        _disposables.Add(Gateway);
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }
}
