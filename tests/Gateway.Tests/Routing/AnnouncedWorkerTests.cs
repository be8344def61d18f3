using System.Net;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.ServiceDefaults.Workers;
using AiPlatform.Testing;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Tests.Routing;

/// <summary>
/// Workers that announce themselves in Redis are routed to without any configuration: found within seconds of
/// starting, forgotten within seconds of stopping (withdrawn) or dying (announcement expired).
/// </summary>
public sealed class AnnouncedWorkerTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan s_seen = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Chat_WorkerStartsAfterTheGateway_FoundThenForgottenWhenItStops()
    {
        await using var gateway = await StartGatewayAsync();
        using var client = gateway.CreateClient();
        using (var before = await TestGateway.PostChatAsync(client, "announced"))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
            using var error = JsonDocument.Parse(await before.Content.ReadAsStringAsync());
            Assert.Equal("model_not_found", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        var worker = SimulatorWorker.Start(
            ("Inference:Simulator:Model", "announced"),
            ("ConnectionStrings:cache", redis.ConnectionString),
            ("Inference:Announce:Interval", "00:00:00.200"),
            ("Inference:Announce:Ttl", "00:00:01"));
        await using (worker)
        {
            using var found = await Eventually.ResultAsync(() => TestGateway.PostChatAsync(client, "announced"), r => r.StatusCode == HttpStatusCode.OK, s_seen);

            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
            Assert.Equal($"simulator@{worker.Authority}", found.Header("aig-target"));
            Assert.Contains("announced", await gateway.ModelIdsAsync());
        }

        await Eventually.TrueAsync(async () => !(await gateway.ModelIdsAsync()).Contains("announced"), s_seen, "the stopped worker's model is still listed");
        using var after = await TestGateway.PostChatAsync(client, "announced");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task Chat_AnnouncementExpires_ModelGoneAndWorkerDroppedFromTheIndex()
    {
        // A worker that dies cannot withdraw. The test plays its announcements (the worker itself announces nothing
        // without a Redis): renewed while it "lives", then left to expire.
        await using var worker = SimulatorWorker.Start(("Inference:Simulator:Model", "mortal"));
        await using var gateway = await StartGatewayAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var database = connection.GetDatabase();
        var id = "mortal-" + Guid.NewGuid().ToString("n")[..8];
        using var client = gateway.CreateClient();

        using var served = await Eventually.ResultAsync(async () =>
        {
            await BeatAsync(database, id, worker);
            return await TestGateway.PostChatAsync(client, "mortal");
        }, r => r.StatusCode == HttpStatusCode.OK, s_seen);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal($"simulator@{worker.Authority}", served.Header("aig-target"));

        await Eventually.TrueAsync(async () => !(await gateway.ModelIdsAsync()).Contains("mortal"), s_seen, "the dead worker's model is still listed");
        await Eventually.TrueAsync(async () => !await database.SetContainsAsync(WorkerDirectoryKeys.Index, id), s_seen, "the dead worker is still in the index");
    }

    private Task<TestGateway> StartGatewayAsync() => TestGateway.StartAsync(redis, new Dictionary<string, string?>
    {
        // No model configured at all: whatever is served comes from announcements.
        ["Gateway:Workers:RefreshInterval"] = "00:00:00.200",
    });

    /// <summary>One beat of a worker's announcement, with a TTL that outlives it only briefly.</summary>
    private static async Task BeatAsync(IDatabase database, string id, SimulatorWorker worker)
    {
        var announcement = new WorkerAnnouncement
        {
            Id = id,
            Address = worker.Url.ToString(),
            Engine = "simulator",
            Models = ["mortal"],
            MaxRunning = 16,
            MaxWaiting = 256,
            UpdatedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await database.StringSetAsync(WorkerDirectoryKeys.Of(id), WorkerAnnouncementFormat.Serialize(announcement), TimeSpan.FromSeconds(1));
        await database.SetAddAsync(WorkerDirectoryKeys.Index, id);
    }
}
