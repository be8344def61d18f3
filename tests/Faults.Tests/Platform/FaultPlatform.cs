extern alias usageapi;
extern alias worker;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Faults.Tests.Platform;

/// <summary>
/// The whole request and ledger path on real sockets, for one test to break: a real Redis and a real Postgres (each can
/// be stopped and started again on its port), UsageApi over them, a simulator worker answering at once (model
/// <c>sim</c>), and as many Gateway replicas as the test starts, in this process or as processes of their own. Everything
/// stops on dispose, whatever the test did.
/// </summary>
public sealed class FaultPlatform : IAsyncDisposable
{
    public const string MasterKey = "sk-aig-master-fault-tests-0123456789abcdef";

    private readonly List<IAsyncDisposable> _services = [];
    private WebApplicationFactory<usageapi::Program> _usageApi = null!;

    private FaultPlatform()
    {
    }

    public RedisServer Redis { get; } = new();

    public PostgresServer Postgres { get; } = new();

    public Uri UsageApiUrl { get; private set; } = null!;

    /// <summary>UsageApi's database (the ledger), for a test that must get in its way.</summary>
    public string UsageDbConnectionString { get; private set; } = null!;

    /// <summary>The simulator worker's OpenAI API, as a <c>BaseUrl</c> target is written.</summary>
    public string WorkerApiUrl { get; private set; } = null!;

    public static async Task<FaultPlatform> StartAsync()
    {
        var platform = new FaultPlatform();
        try
        {
            await Task.WhenAll(platform.Redis.InitializeAsync(), platform.Postgres.InitializeAsync());
            platform.UsageDbConnectionString = await platform.Postgres.CreateDatabaseAsync();
            platform._usageApi = new WebApplicationFactory<usageapi::Program>().WithWebHostBuilder(web => web
                .UseSetting("ConnectionStrings:usagedb", platform.UsageDbConnectionString)
                .UseSetting("ConnectionStrings:cache", platform.Redis.ConnectionString)
                .UseSetting("AIPLATFORM_MASTER_KEY", MasterKey)
                .UseSetting("Logging:LogLevel:Default", "Warning"));
            platform.UsageApiUrl = platform._usageApi.StartOnLoopback();
            var worker = new WebApplicationFactory<worker::Program>().WithWebHostBuilder(web => web
                .UseSetting("Inference:Simulator:TimeToFirstTokenMs", "0")
                .UseSetting("Inference:Simulator:InterTokenLatencyMs", "0")
                .UseSetting("Logging:LogLevel:Default", "Warning"));
            platform._services.Add(worker);
            platform.WorkerApiUrl = new Uri(worker.StartOnLoopback(), "v1").ToString();
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// What every Gateway replica is given: this platform's Redis, UsageApi and master key, model <c>sim</c> on the worker,
    /// and parked usage replayed every half second (2 s by default) so that a test does not wait for it.
    /// </summary>
    public Dictionary<string, string> GatewaySettings() => new()
    {
        ["ConnectionStrings:cache"] = Redis.ConnectionString,
        ["AIPLATFORM_MASTER_KEY"] = MasterKey,
        ["services:usageapi:http:0"] = UsageApiUrl.ToString(),
        ["Gateway:Models:0:Name"] = "sim",
        ["Gateway:Models:0:Targets:0:BaseUrl"] = WorkerApiUrl,
        ["Gateway:Usage:ReplayInterval"] = "00:00:00.500",
        // Two cores run the load, the services and the servers: per-request logs would cost more than they tell.
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>A Gateway replica in this process (on its own Kestrel port); returns its root.</summary>
    public Uri StartGateway(IReadOnlyDictionary<string, string> settings)
    {
        var gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        _services.Add(gateway);
        return gateway.StartOnLoopback();
    }

    /// <summary>A Gateway replica as a process of its own, from its build output: one a test can SIGKILL.</summary>
    public async Task<DotnetService> StartGatewayProcessAsync(IReadOnlyDictionary<string, string> settings)
    {
        var gateway = await DotnetService.StartAsync(ServiceBuilds.Gateway, settings);
        _services.Add(gateway);
        return gateway;
    }

    /// <summary>An InferenceWorker (simulator) as a process of its own, with <paramref name="settings"/>: one a test can SIGKILL.</summary>
    public async Task<DotnetService> StartWorkerProcessAsync(IReadOnlyDictionary<string, string> settings)
    {
        var worker = await DotnetService.StartAsync(ServiceBuilds.InferenceWorker, settings);
        _services.Add(worker);
        return worker;
    }

    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = UsageApiUrl, Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return client;
    }

    /// <summary>Creates a virtual key (<paramref name="body"/> as <c>POST /v1/keys</c> takes it); returns its id and secret.</summary>
    public async Task<VirtualKey> CreateKeyAsync(object body)
    {
        using var admin = Admin();
        using var response = await admin.PostAsJsonAsync("/v1/keys", body);
        var json = JsonElement.Parse(await response.Content.ReadAsStringAsync());
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating a key answered {(int)response.StatusCode}: {json}");
        }

        return new VirtualKey(json.GetProperty("id").GetString()!, json.GetProperty("key").GetString()!);
    }

    public async Task RevokeKeyAsync(VirtualKey key)
    {
        using var admin = Admin();
        using var response = await admin.DeleteAsync(new Uri($"/v1/keys/{key.Id}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(_services))
        {
            await service.DisposeAsync();
        }

        if (_usageApi is not null)
        {
            await _usageApi.DisposeAsync();
        }

        await Task.WhenAll(Redis.DisposeAsync(), Postgres.DisposeAsync());
    }
}

/// <summary>A virtual key: its id (the ledger's <c>key_id</c>) and the secret clients send.</summary>
public sealed record VirtualKey(string Id, string Secret);
