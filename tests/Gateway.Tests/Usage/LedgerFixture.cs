extern alias usageapi;
extern alias worker;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Gateway.Tests.Usage;

/// <summary>
/// The ledger's whole path on real sockets: Gateway → UsageApi → Postgres, with Redis between them and a simulator
/// worker as the model. UsageApi can be stopped and started again on the same port, as an outage.
/// </summary>
public sealed class LedgerFixture : IAsyncLifetime
{
    public const string MasterKey = "sk-aig-master-ledger-tests-0123456789abcdef";

    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly int _usageApiPort = FreePort.Next();
    private string _usageDb = null!;
    private WebApplicationFactory<usageapi::Program>? _usageApi;

    public RedisServer Redis { get; } = new();

    public PostgresServer Postgres { get; } = new();

    public Uri UsageApiUrl => new($"http://127.0.0.1:{_usageApiPort}");

    public Uri GatewayUrl { get; private set; } = null!;

    public WebApplicationFactory<Program> Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Redis.InitializeAsync(), Postgres.InitializeAsync());
        _usageDb = await Postgres.CreateDatabaseAsync();
        StartUsageApi();
        var workerUrl = StartWorker();

        var port = FreePort.Next();
        Gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:cache", Redis.ConnectionString)
            .UseSetting("AIPLATFORM_MASTER_KEY", MasterKey)
            .UseSetting("services:usageapi:http:0", UsageApiUrl.ToString())
            .UseSetting("services:inference:http:0", workerUrl.ToString())
            .UseSetting("Gateway:Models:0:Name", "sim")
            .UseSetting("Gateway:Models:0:Targets:0:Service", "inference")
            .UseSetting("Gateway:Usage:FlushInterval", "00:00:00.200")
            .UseSetting("Gateway:Usage:ReplayInterval", "00:00:00.500"));
        Gateway.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        Gateway.StartServer();
        _disposables.Add(Gateway);
        GatewayUrl = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        if (_usageApi is not null)
        {
            await _usageApi.DisposeAsync();
        }

        await Task.WhenAll(Redis.DisposeAsync(), Postgres.DisposeAsync());
    }

    public void StartUsageApi()
    {
        _usageApi = new WebApplicationFactory<usageapi::Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:usagedb", _usageDb)
            .UseSetting("ConnectionStrings:cache", Redis.ConnectionString)
            .UseSetting("AIPLATFORM_MASTER_KEY", MasterKey));
        _usageApi.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _usageApiPort));
        _usageApi.StartServer();
    }

    public async Task StopUsageApiAsync()
    {
        if (_usageApi is not null)
        {
            await _usageApi.DisposeAsync();
            _usageApi = null;
        }
    }

    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = UsageApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return client;
    }

    public HttpClient GatewayClient(string key)
    {
        var client = new HttpClient { BaseAddress = GatewayUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<(string Id, string Key)> CreateKeyAsync(object body)
    {
        using var admin = Admin();
        using var response = await admin.PostAsJsonAsync("/v1/keys", body);
        var json = JsonElement.Parse(await response.Content.ReadAsStringAsync());
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating a key answered {(int)response.StatusCode}: {json}");
        }

        return (json.GetProperty("id").GetString()!, json.GetProperty("key").GetString()!);
    }

    /// <summary>Every ledger record of a key, following the cursor through all pages.</summary>
    public async Task<List<JsonElement>> RecordsAsync(string keyId)
    {
        using var admin = Admin();
        var records = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = JsonElement.Parse(await admin.GetStringAsync(new Uri(
                $"/v1/usage/records?key={keyId}&limit=1000&from=2000-01-01T00:00:00Z{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}",
                UriKind.Relative)));
            records.AddRange(page.GetProperty("data").EnumerateArray());
            cursor = page.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return records;
    }

    private Uri StartWorker()
    {
        var port = FreePort.Next();
        var factory = new WebApplicationFactory<worker::Program>().WithWebHostBuilder(web => web
            .UseSetting("Inference:Simulator:TimeToFirstTokenMs", "0")
            .UseSetting("Inference:Simulator:InterTokenLatencyMs", "0")
            .UseSetting("Inference:Simulator:AllowFaultHeader", "true"));
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        _disposables.Add(factory);
        return new Uri($"http://127.0.0.1:{port}");
    }
}
