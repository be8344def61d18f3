extern alias worker;

using System.Net;
using System.Net.Http.Headers;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Tests.Auth;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.Gateway.Tests.Policies;

/// <summary>
/// A real Redis and two real simulator workers (instant and slow), and as many Gateway instances in front of them as
/// a test wants: several instances sharing one Redis are the replicas behind a load balancer. Models: <c>sim</c>
/// (instant) and <c>slow</c>. Each client gets its own client IP (through a trusted-proxy header), so that tests that
/// fail authentication on purpose do not get each other's addresses blocked.
/// </summary>
public sealed class PolicyFixture : IAsyncLifetime
{
    public const int SlowInterTokenMs = 30;
    private const string ClientIpHeader = "X-Forwarded-For";

    private readonly List<IAsyncDisposable> _disposables = [];
    private int _nextIp;

    public RedisServer Redis { get; } = new();

    public Uri FastWorkerUrl { get; private set; } = null!;

    public Uri SlowWorkerUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        FastWorkerUrl = StartWorker(0);
        SlowWorkerUrl = StartWorker(SlowInterTokenMs);
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }

    /// <summary>A Gateway replica; <paramref name="clock"/> replaces its wall clock when given.</summary>
    public WebApplicationFactory<Program> StartGateway(TimeProvider? clock = null, params (string Key, string Value)[] settings)
    {
        var gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:cache", Redis.ConnectionString);
            web.UseSetting("services:inference:http:0", FastWorkerUrl.ToString());
            web.UseSetting("services:slowinference:http:0", SlowWorkerUrl.ToString());
            web.UseSetting("Gateway:Models:0:Name", "sim");
            web.UseSetting("Gateway:Models:0:Targets:0:Service", "inference");
            web.UseSetting("Gateway:Models:1:Name", "slow");
            web.UseSetting("Gateway:Models:1:Targets:0:Service", "slowinference");
            web.UseSetting("Gateway:Models:1:Targets:0:Model", "sim");
            web.UseSetting("Gateway:RateLimits:ClientIpHeader", ClientIpHeader);
            web.UseSetting("Gateway:RateLimits:OutageLogInterval", "00:00:01");
            // No UsageApi here: the ledger path has its own tests.
            web.UseSetting("Gateway:Usage:Enabled", "false");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            if (clock is not null)
            {
                web.ConfigureTestServices(services => services.AddSingleton(clock));
            }
        });
        _disposables.Add(gateway);
        return gateway;
    }

    /// <summary>A client of <paramref name="gateway"/> with a key (if given) and an address of its own.</summary>
    public HttpClient Client(WebApplicationFactory<Program> gateway, string? key, string? clientIp = null)
    {
        var client = gateway.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        client.DefaultRequestHeaders.Add(ClientIpHeader, clientIp ?? NewClientIp());
        return client;
    }

    public string NewClientIp()
    {
        var n = Interlocked.Increment(ref _nextIp);
        return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
    }

    /// <summary>A new key with the given limits, published in Redis as UsageApi would.</summary>
    public async Task<(string Key, KeyRecord Record)> NewKeyAsync(int? rpm = null, int? tpm = null, string[]? models = null,
        string? cacheNamespace = null, bool revoked = false, DateTimeOffset? expiresAt = null)
    {
        var record = new KeyRecord
        {
            Id = "key-" + Guid.NewGuid().ToString("n"),
            Name = "policy test",
            Rpm = rpm,
            Tpm = tpm,
            Models = models ?? [],
            CacheNamespace = cacheNamespace,
            Revoked = revoked,
            ExpiresAt = expiresAt,
        };
        return (await TestKeys.SeedAsync(Redis.ConnectionString, record), record);
    }

    private Uri StartWorker(int interTokenMs)
    {
        var port = FreePort.Next();
        var factory = new WebApplicationFactory<worker::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Inference:Simulator:TimeToFirstTokenMs", interTokenMs.ToString());
            web.UseSetting("Inference:Simulator:InterTokenLatencyMs", interTokenMs.ToString());
            web.UseSetting("Inference:Simulator:AllowFaultHeader", "true");
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        _disposables.Add(factory);
        return new Uri($"http://127.0.0.1:{port}");
    }
}

[CollectionDefinition(Name)]
public sealed class PolicyCollection : ICollectionFixture<PolicyFixture>
{
    public const string Name = "policies";
}
