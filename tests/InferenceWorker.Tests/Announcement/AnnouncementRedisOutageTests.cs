using System.Net;
using AiPlatform.InferenceWorker.Tests.Support;
using AiPlatform.Testing;

namespace AiPlatform.InferenceWorker.Tests.Announcement;

/// <summary>Redis restarting under a worker that keeps beating and serving. Own class: it stops its Redis.</summary>
public sealed class AnnouncementRedisOutageTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Announce_RedisRestarted_AnnouncementReturnsAndTheOutageIsLoggedOnce()
    {
        var logs = new LogCapture();
        using var worker = WorkerHost.Simulator(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redis.ConnectionString,
            ["Inference:Announce:Id"] = "restart-worker",
            ["Inference:Announce:Interval"] = "00:00:00.100",
            ["Inference:Announce:Ttl"] = "00:00:05",
        }, kestrel: true, services: logs.For("AiPlatform.InferenceWorker.Announcement"));
        await using var directory = await WorkerDirectoryProbe.ConnectAsync(redis);
        await directory.WaitForAsync("restart-worker", _ => true, "the worker is announced");

        using var client = worker.CreateClient();

        await redis.StopAsync();
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(logs.Messages(LogEvents.AnnouncementRedisDown).Count > 0), TestTimeouts.Default, "the outage is logged");
            // Ten beats more against a stopped Redis.
            await Task.Delay(1_000);
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            await redis.StartAsync();
        }

        // Redis came back empty (no persistence): only a new beat can bring the announcement back.
        await directory.WaitForAsync("restart-worker", _ => true, "the worker is announced again");
        Assert.True(await directory.IsIndexedAsync("restart-worker"));
        await Eventually.TrueAsync(() => Task.FromResult(logs.Messages(LogEvents.AnnouncementRedisBack).Count > 0), TestTimeouts.Default, "the recovery is logged");
        Assert.Single(logs.Messages(LogEvents.AnnouncementRedisDown));
        Assert.Single(logs.Messages(LogEvents.AnnouncementRedisBack));
    }
}
