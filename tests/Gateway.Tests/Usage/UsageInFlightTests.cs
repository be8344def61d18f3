using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Gateway.Usage;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Tests.Usage;

/// <summary>
/// A batch on its way to UsageApi is kept in Redis (<see cref="UsageParking.SendingKey"/>) until UsageApi has taken it,
/// and one left there by a Gateway that died sending it is replayed by another, once it is older than a live Gateway's
/// could be: a SIGKILL between cutting a batch and its delivery loses nothing.
/// </summary>
public sealed class UsageInFlightTests : IAsyncLifetime
{
    private static readonly TimeSpan s_sendTimeout = TimeSpan.FromSeconds(2);

    private readonly RedisServer _redis = new();
    private readonly List<IAsyncDisposable> _disposables = [];
    private GatedUsageApi _usageApi = null!;
    private TestGateway _gateway = null!;
    private ConnectionMultiplexer _probe = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _usageApi = await GatedUsageApi.StartAsync();
        _disposables.Add(_usageApi);
        var worker = SimulatorWorker.Start();
        _disposables.Add(worker);
        _gateway = await TestGateway.StartAsync(_redis, new Dictionary<string, string?>
        {
            ["services:usageapi:http:0"] = _usageApi.Url,
            ["Gateway:Usage:Enabled"] = "true",
            ["Gateway:Usage:SendTimeout"] = s_sendTimeout.ToString(),
            ["Gateway:Usage:ReplayInterval"] = "00:00:00.200",
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = worker.ApiUrl,
        });
        _disposables.Add(_gateway);
        _probe = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _usageApi.Open();
        await _probe.DisposeAsync();
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Batch_UsageApiNotAnsweredYet_KeptInRedisUntilTaken()
    {
        using var client = _gateway.CreateClient();
        using var response = await TestGateway.PostChatAsync(client, "sim");
        var requestId = response.Headers.GetValues("aig-request-id").Single();
        await Eventually.TrueAsync(() => Task.FromResult(_usageApi.Waiting > 0), TestTimeouts.Default, "the batch reaches UsageApi");

        var whileSending = await RequestIdsBeingSentAsync();
        _usageApi.Open();
        await Eventually.TrueAsync(async () => (await RequestIdsBeingSentAsync()).Count == 0, TestTimeouts.Default, "the copy is dropped once delivered");

        Assert.Contains(requestId, whileSending);
        Assert.Equal(1, _usageApi.Received(requestId));
    }

    [Fact]
    public async Task BatchLeftByADeadGateway_ReplayedOnceOlderThanTwiceTheSendTimeout()
    {
        _usageApi.Open();
        var db = _probe.GetDatabase();
        // One left long ago (its id is Redis's time when it was added: 1 ms after the epoch), one just now, as a live Gateway's.
        await db.StreamAddAsync(UsageParking.SendingKey, UsageStreamFormat.Entry(Batch("left-long-ago"), 1), messageId: "1-0");
        await db.StreamAddAsync(UsageParking.SendingKey, UsageStreamFormat.Entry(Batch("being-sent-now"), 1));

        await Eventually.TrueAsync(() => Task.FromResult(_usageApi.Received("left-long-ago") == 1), TestTimeouts.Default, "the abandoned batch is replayed");
        var youngReplayedEarly = _usageApi.Received("being-sent-now");
        await Eventually.TrueAsync(() => Task.FromResult(_usageApi.Received("being-sent-now") == 1), TestTimeouts.Default, "the young batch is replayed once old enough");

        Assert.Equal(0, youngReplayedEarly);
        Assert.Equal(0, await db.StreamLengthAsync(UsageParking.SendingKey));
        Assert.Equal(0, await db.StreamLengthAsync(UsageStreamFormat.StreamKey));
    }

    private static byte[] Batch(string requestId) => Encoding.UTF8.GetBytes(
        $$"""{"events":[{"request_id":"{{requestId}}","timestamp":"2026-01-01T00:00:00Z","status_code":200}]}""");

    private async Task<List<string>> RequestIdsBeingSentAsync() =>
        [.. (await _probe.GetDatabase().StreamRangeAsync(UsageParking.SendingKey))
            .SelectMany(entry => JsonElement.Parse((string)entry[UsageStreamFormat.BatchField]!).GetProperty("events").EnumerateArray())
            .Select(e => e.GetProperty("request_id").GetString()!)];

    /// <summary>Plays UsageApi's ledger endpoint, holding every batch until <see cref="Open"/>, and counts what it took.</summary>
    private sealed class GatedUsageApi : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<string, int> _taken = new(StringComparer.Ordinal);
        private int _waiting;

        private GatedUsageApi(WebApplication app) => _app = app;

        public string Url => _app.Urls.Single();

        /// <summary>Batches received and not answered yet.</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        public static async Task<GatedUsageApi> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            var usageApi = new GatedUsageApi(app);
            // A route handler (its IResult is written), not a RequestDelegate.
            Func<HttpContext, Task<IResult>> take = usageApi.TakeAsync;
            app.MapPost("/v1/usage/events", take);
            await app.StartAsync();
            return usageApi;
        }

        public void Open() => _gate.TrySetResult();

        public int Received(string requestId) => _taken.GetValueOrDefault(requestId);

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();

        private async Task<IResult> TakeAsync(HttpContext context)
        {
            using var batch = await JsonDocument.ParseAsync(context.Request.Body);
            Interlocked.Increment(ref _waiting);
            await _gate.Task;
            Interlocked.Decrement(ref _waiting);
            foreach (var usageEvent in batch.RootElement.GetProperty("events").EnumerateArray())
            {
                _taken.AddOrUpdate(usageEvent.GetProperty("request_id").GetString()!, 1, (_, count) => count + 1);
            }

            return Results.Json(new { accepted = batch.RootElement.GetProperty("events").GetArrayLength(), duplicates = 0 });
        }
    }
}
