extern alias worker;

using System.Net;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Tests.Auth;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Gateway.Tests.Proxy;

/// <summary>
/// A real Redis, two real InferenceWorkers running the simulator (one instant, one slow enough to watch a
/// stream arrive) and a Gateway in front of them, all on real sockets on 127.0.0.1.
/// Gateway models: <c>sim</c> (fast worker), <c>slow</c> (slow worker), <c>renamed</c> (fast worker, upstream
/// name <c>sim</c>), <c>unknown-upstream</c> (fast worker, a model it does not serve), <c>down</c> (a closed
/// port), <c>fallback</c> (a closed port, then the fast worker), <c>replicated</c> (service <c>replicas</c>, whose two
/// configured endpoints are the fast and the slow worker, as the AppHost configures worker replicas). The response
/// cache is off.
/// </summary>
public sealed class InferencePathFixture : IAsyncLifetime
{
    public const int SlowInterTokenMs = 40;

    private readonly RedisServer _redis = new();
    private WebApplicationFactory<worker::Program>? _fastWorker;
    private WebApplicationFactory<worker::Program>? _slowWorker;
    private WebApplicationFactory<Program>? _gateway;

    public Uri GatewayUrl { get; private set; } = null!;

    /// <summary>A virtual key with no limits, valid for every model.</summary>
    public string ApiKey { get; private set; } = null!;

    public RedisServer Redis => _redis;

    public Uri FastWorkerUrl { get; private set; } = null!;

    public Uri SlowWorkerUrl { get; private set; } = null!;

    public HttpClient CreateGatewayClient()
    {
        var client = new HttpClient { BaseAddress = GatewayUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
        return client;
    }

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        ApiKey = await TestKeys.SeedAsync(_redis.ConnectionString, new KeyRecord { Id = "key-proxy-tests", Name = "proxy tests" });
        (_fastWorker, FastWorkerUrl) = StartWorker(timeToFirstTokenMs: 0, interTokenMs: 0);
        (_slowWorker, SlowWorkerUrl) = StartWorker(timeToFirstTokenMs: 50, interTokenMs: SlowInterTokenMs);

        var closed = $"http://127.0.0.1:{FreePort.Next()}/v1";
        var port = FreePort.Next();
        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:cache", _redis.ConnectionString);
            web.UseSetting("services:inference:http:0", FastWorkerUrl.ToString());
            web.UseSetting("services:slowinference:http:0", SlowWorkerUrl.ToString());
            web.UseSetting("services:replicas:http:0", FastWorkerUrl.ToString());
            web.UseSetting("services:replicas:http:1", SlowWorkerUrl.ToString());
            web.UseSetting("Gateway:Forwarding:ConnectTimeout", "00:00:02");
            // These tests are about forwarding: every request must reach a worker. The cache has its own tests.
            web.UseSetting("Gateway:Cache:Enabled", "false");
            web.UseSetting("Gateway:Usage:Enabled", "false");
            // Faults asked for by header would get the workers ejected and change what later tests see; ejection has its own tests.
            web.UseSetting("Gateway:Resilience:Outliers:ConsecutiveFailures", "1000");
            web.UseSetting("Gateway:Resilience:Outliers:MinimumRequests", "100000");
            Model(web, 0, "sim", ("Service", "inference"));
            Model(web, 1, "slow", ("Service", "slowinference"), ("Model", "sim"));
            Model(web, 2, "renamed", ("Service", "inference"), ("Model", "sim"));
            Model(web, 3, "unknown-upstream", ("Service", "inference"));
            Model(web, 4, "down", ("BaseUrl", closed), ("Model", "sim"));
            Model(web, 5, "fallback", ("BaseUrl", closed), ("Model", "sim"));
            web.UseSetting("Gateway:Models:5:Targets:1:Service", "inference");
            web.UseSetting("Gateway:Models:5:Targets:1:Model", "sim");
            Model(web, 6, "replicated", ("Service", "replicas"), ("Model", "sim"));
        });
        _gateway.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        _gateway.StartServer();
        GatewayUrl = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_fastWorker is not null)
        {
            await _fastWorker.DisposeAsync();
        }

        if (_slowWorker is not null)
        {
            await _slowWorker.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    private static void Model(IWebHostBuilder web, int index, string name, params (string Key, string Value)[] target)
    {
        web.UseSetting($"Gateway:Models:{index}:Name", name);
        foreach (var (key, value) in target)
        {
            web.UseSetting($"Gateway:Models:{index}:Targets:0:{key}", value);
        }
    }

    private static (WebApplicationFactory<worker::Program> Factory, Uri Url) StartWorker(int timeToFirstTokenMs, int interTokenMs)
    {
        var port = FreePort.Next();
        var factory = new WebApplicationFactory<worker::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Inference:Simulator:TimeToFirstTokenMs", timeToFirstTokenMs.ToString());
            web.UseSetting("Inference:Simulator:InterTokenLatencyMs", interTokenMs.ToString());
            web.UseSetting("Inference:Simulator:AllowFaultHeader", "true");
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return (factory, new Uri($"http://127.0.0.1:{port}"));
    }
}
