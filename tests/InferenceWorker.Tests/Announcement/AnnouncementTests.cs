using System.Text.RegularExpressions;
using AiPlatform.InferenceWorker.Tests.Support;
using AiPlatform.Testing;

namespace AiPlatform.InferenceWorker.Tests.Announcement;

/// <summary>Workers announcing themselves in a real Redis, beating every 100 ms; each test tells its worker apart by id or address.</summary>
public sealed class AnnouncementTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Category = "AiPlatform.InferenceWorker.Announcement";

    [Fact]
    public async Task Announce_SimulatorOnKestrel_WritesItsFieldsWithTtlAndIndexesItsId()
    {
        using var worker = WorkerHost.Simulator(Settings(new()
        {
            ["Inference:Announce:Ttl"] = "00:00:02",
            ["Inference:Admission:MaxRunning"] = "3",
            ["Inference:Admission:MaxWaiting"] = "4",
        }), kestrel: true);
        await using var directory = await WorkerDirectoryProbe.ConnectAsync(redis);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var announcement = await directory.WaitForAddressAsync(worker.BaseAddress);
        var ttl = await directory.TimeToLiveAsync(announcement.Id);

        Assert.Matches($"^{Regex.Escape(Environment.MachineName)}-{worker.BaseAddress.Port}-[0-9a-f]{{8}}$", announcement.Id);
        Assert.Equal($"http://127.0.0.1:{worker.BaseAddress.Port}/", announcement.Address);
        Assert.Equal("simulator", announcement.Engine);
        Assert.Equal(["sim"], announcement.Models);
        Assert.Equal((0, 0, 3, 4), (announcement.Running, announcement.Waiting, announcement.MaxRunning, announcement.MaxWaiting));
        Assert.Null(announcement.KvCacheUsage);
        Assert.InRange(announcement.UpdatedAtUnixMs, before - 1_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2));
        Assert.True(await directory.IsIndexedAsync(announcement.Id));
    }

    [Fact]
    public async Task Announce_AddressAndIdConfigured_AnnouncesThemWithTheAddressEndingInSlash()
    {
        using var worker = WorkerHost.Simulator(Settings(new()
        {
            ["Inference:Announce:Id"] = "configured-worker",
            ["Inference:Announce:Address"] = "http://inference-0:8082",
        }));
        worker.StartServer();
        await using var directory = await WorkerDirectoryProbe.ConnectAsync(redis);

        var announcement = await directory.WaitForAsync("configured-worker", _ => true, "the worker is announced");

        Assert.Equal("http://inference-0:8082/", announcement.Address);
    }

    [Fact]
    public async Task Announce_RequestsHeldInTheSimulator_RunningAndWaitingFollowThem()
    {
        using var worker = WorkerHost.Simulator(Settings(new()
        {
            ["Inference:Announce:Id"] = "busy-worker",
            ["Inference:Admission:MaxRunning"] = "1",
            ["Inference:Admission:MaxWaiting"] = "2",
            ["Inference:Simulator:TimeToFirstTokenMs"] = "600000",
        }), kestrel: true);
        await using var directory = await WorkerDirectoryProbe.ConnectAsync(redis);
        using var client = Wait.RealClient(worker.BaseAddress);
        using var leave = new CancellationTokenSource();
        var requests = Enumerable.Range(0, 3)
            .Select(_ => client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative),
                System.Net.Http.Json.JsonContent.Create(new { model = "sim", messages = new[] { new { role = "user", content = "Hi" } } }), leave.Token))
            .ToArray();

        await directory.WaitForAsync("busy-worker", a => a is { Running: 1, Waiting: 2 }, "one request runs and two wait");
        leave.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(requests));

        await directory.WaitForAsync("busy-worker", a => a is { Running: 0, Waiting: 0 }, "the requests are gone");
    }

    [Fact]
    public async Task Stop_Graceful_DeletesTheAnnouncementAndTheIndexEntry()
    {
        using var worker = WorkerHost.Simulator(Settings(new()
        {
            ["Inference:Announce:Id"] = "stopping-worker",
            // Far longer than the test: only the withdrawal can make the key disappear.
            ["Inference:Announce:Ttl"] = "00:10:00",
        }), kestrel: true);
        await using var directory = await WorkerDirectoryProbe.ConnectAsync(redis);
        await directory.WaitForAsync("stopping-worker", _ => true, "the worker is announced");
        Assert.True(await directory.IsIndexedAsync("stopping-worker"));

        worker.Dispose();

        Assert.False(await directory.ExistsAsync("stopping-worker"));
        Assert.False(await directory.IsIndexedAsync("stopping-worker"));
    }

    [Fact]
    public async Task Announce_VllmEngine_CarriesTheServedModelAndVllmsOwnLoad()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.MetricsText = """
            # HELP vllm:num_requests_running Number of requests in model execution batches.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="served-model"} 3.0
            vllm:num_requests_running{engine="1",model_name="served-model"} 2.0
            vllm:num_requests_waiting{engine="0",model_name="served-model"} 7.0
            vllm:kv_cache_usage_perc{engine="0",model_name="served-model"} 0.25
            vllm:kv_cache_usage_perc{engine="1",model_name="served-model"} 0.5
            """;
        using var worker = WorkerHost.Vllm(upstream.Address, Settings(new()
        {
            ["Inference:Announce:Id"] = "vllm-worker",
            ["Inference:Vllm:Model"] = "served-model",
            ["Inference:Vllm:ApiKey"] = "upstream-key",
        }));
        await using var directory = await WorkerDirectoryProbe.ConnectAsync(redis);

        var announcement = await directory.WaitForAsync("vllm-worker", a => a.KvCacheUsage is not null, "vLLM's figures are announced");

        Assert.Equal("vllm", announcement.Engine);
        Assert.Equal(["served-model"], announcement.Models);
        Assert.Equal((5, 7, 0.5), (announcement.Running, announcement.Waiting, announcement.KvCacheUsage));
        Assert.Equal("Bearer upstream-key", upstream.MetricsAuthorization);
    }

    [Fact]
    public async Task Announce_VllmMetricsMissing_AnnouncesAdmissionFiguresAndWarnsOnce()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var logs = new LogCapture();
        using var worker = WorkerHost.Vllm(upstream.Address, Settings(new() { ["Inference:Announce:Id"] = "plain-upstream-worker" }), logs.For(Category));
        await using var directory = await WorkerDirectoryProbe.ConnectAsync(redis);
        var first = await directory.WaitForAsync("plain-upstream-worker", _ => true, "the worker is announced");

        await directory.WaitForAsync("plain-upstream-worker", a => a.UpdatedAtUnixMs >= first.UpdatedAtUnixMs + 500, "five more beats");

        Assert.Null(first.KvCacheUsage);
        Assert.Equal([], first.Models);
        Assert.Contains("status 404", Assert.Single(logs.Messages(LogEvents.VllmMetricsUnreadable)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "no ConnectionStrings:cache is configured")]
    [InlineData(true, "Inference:Announce:Enabled is false")]
    public async Task Announce_NoCacheOrDisabled_SaysSoOnceAndWritesNothing(bool cacheConfigured, string reason)
    {
        var logs = new LogCapture();
        var settings = cacheConfigured
            ? Settings(new() { ["Inference:Announce:Enabled"] = "false", ["Inference:Announce:Id"] = "disabled-worker" })
            : new() { ["Inference:Announce:Id"] = "disabled-worker" };
        using var worker = WorkerHost.Simulator(settings, kestrel: true, services: logs.For(Category));
        await using var directory = await WorkerDirectoryProbe.ConnectAsync(redis);

        await Eventually.TrueAsync(() => Task.FromResult(logs.Messages(LogEvents.AnnouncementOff).Count > 0), TestTimeouts.Default, "the worker says why");
        await Task.Delay(300);

        Assert.Equal($"Worker announcement is off: {reason}.", Assert.Single(logs.Messages(LogEvents.AnnouncementOff)));
        Assert.Empty(logs.Messages(LogEvents.Announcing));
        Assert.False(await directory.ExistsAsync("disabled-worker"));
    }

    [Fact]
    public async Task Announce_CacheConnectionStringUnusable_KeepsServingAndSaysWhy()
    {
        var logs = new LogCapture();
        using var worker = WorkerHost.Simulator(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = "127.0.0.1:6379,notakeyword=1",
            ["Inference:Announce:Interval"] = "00:00:00.100",
        }, kestrel: true, services: logs.For(Category));

        await Eventually.TrueAsync(() => Task.FromResult(logs.Messages(LogEvents.AnnouncementRedisUnusable).Count > 0), TestTimeouts.Default, "the worker says why");
        using var client = worker.CreateClient();
        using var models = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, models.StatusCode);
        Assert.Contains("notakeyword", Assert.Single(logs.Messages(LogEvents.AnnouncementRedisUnusable)), StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:cache"] = redis.ConnectionString;
        settings.TryAdd("Inference:Announce:Interval", "00:00:00.100");
        settings.TryAdd("Inference:Announce:Ttl", "00:00:05");
        return settings;
    }
}
