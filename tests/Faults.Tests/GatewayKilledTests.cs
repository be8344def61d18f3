using System.Globalization;
using System.Net;
using System.Text.Json;
using AiPlatform.Faults.Tests.Ledger;
using AiPlatform.Faults.Tests.Load;
using AiPlatform.Faults.Tests.Platform;
using AiPlatform.Gateway.Usage;
using AiPlatform.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace AiPlatform.Faults.Tests;

/// <summary>
/// A Gateway replica SIGKILLed under steady load, with no shutdown code running: what it held in memory only of the
/// usage of requests it had answered is what the ledger loses. A second replica stays up, as behind a load balancer, and
/// replays what the dead one left in Redis. The judge: no answer older than a few flush intervals at the kill is lost.
/// </summary>
public sealed class GatewayKilledTests(ITestOutputHelper output)
{
    private const double RequestsPerSecond = 150;
    private const int Clients = 6;

    /// <summary>
    /// How long an answered request's usage may be in the Gateway's memory only, so lost to a kill: its batch is cut (and
    /// kept in Redis) at most <see cref="UsageOptions.FlushInterval"/> after its first event, whatever UsageApi is doing.
    /// Three times that covers the copy into Redis and the timers of a loaded two-core machine.
    /// </summary>
    private static readonly TimeSpan s_inMemoryAtMost = new UsageOptions().FlushInterval * 3;

    [Fact]
    public async Task GatewaySigkilledUnderLoad_LedgerLosesOnlyTheLastFlushIntervalsAnswers()
    {
        using var ingestion = new IngestionWatch();
        await KillUnderLoadAndJudgeAsync(async _ =>
        {
            // Half a second after a flush: with the old one-second flush interval the batch being filled held half a second
            // of answers then; a kill at a random moment would miss that worst case now and then.
            await ingestion.NextBatchAsync().WaitAsync(TestTimeouts.Default);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            return null;
        });
    }

    [Fact]
    public async Task GatewaySigkilledWhileUsageApiIsSlow_LedgerStillLosesOnlyTheLastFlushIntervalsAnswers()
    {
        await KillUnderLoadAndJudgeAsync(async platform =>
        {
            // Ingestion waits on the ledger for a second and a half: a Gateway that sent one batch at a time kept every
            // answer since in memory.
            var stall = await LedgerStall.StartAsync(platform);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            return stall;
        });
    }

    /// <summary>
    /// Runs the load against a Gateway process, kills it once <paramref name="leadUp"/> returns (disposing what it
    /// returned after the kill), waits until the survivor has replayed everything left in Redis, and judges the ledger.
    /// </summary>
    private async Task KillUnderLoadAndJudgeAsync(Func<FaultPlatform, Task<IAsyncDisposable?>> leadUp)
    {
        await using var platform = await FaultPlatform.StartAsync();
        var ledger = new LedgerReader(platform);
        var key = await platform.CreateKeyAsync(new { name = "killed gateway" });
        var settings = platform.GatewaySettings();
        // A batch kept in Redis while it is sent counts as abandoned after twice this (20 s by default), when the
        // surviving replica replays it; shortened so that the test need not wait that long.
        settings["Gateway:Usage:SendTimeout"] = "00:00:02";
        platform.StartGateway(settings);
        var doomed = await platform.StartGatewayProcessAsync(settings);
        await using var load = SteadyLoad.Start(doomed.Url, Clients, RequestsPerSecond, n => ChatRequests.Completion(key.Secret, $"killed gateway {n}"));
        await Task.Delay(TimeSpan.FromSeconds(4));

        var fault = await leadUp(platform);
        var killedAt = load.Elapsed;
        await doomed.KillAsync();
        await load.StopAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(platform.Redis.ConnectionString);
        var onTheirWay = await RequestIdsBeingSentAsync(redis.GetDatabase());
        var parked = await redis.GetDatabase().StreamLengthAsync(UsageStreamFormat.StreamKey);
        if (fault is not null)
        {
            await fault.DisposeAsync();
        }

        await WaitUntilNothingIsLeftToReplayAsync(redis.GetDatabase());
        var answered = load.Answers;
        var answeredIds = answered.Select(a => a.RequestId!).ToHashSet();
        var records = await ledger.RecordsAsync(key);
        var recorded = records.Select(r => r.RequestId).ToHashSet();
        var lost = answered.Where(a => !recorded.Contains(a.RequestId!)).ToList();
        var oldestLost = lost.Count == 0 ? TimeSpan.Zero : killedAt - lost.Min(a => a.At);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rate {answered.Count / killedAt.TotalSeconds:0} req/s, answered {answered.Count}, recorded {records.Count}, cut by the kill {load.Unanswered.Count}; " +
            $"lost {lost.Count}, the oldest answered {oldestLost.TotalMilliseconds:0} ms before the kill; " +
            $"in Redis at the kill: {onTheirWay.Count} events on their way to UsageApi, {parked} batches parked"));

        Assert.All(answered, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(records.Count, recorded.Count);
        Assert.True(recorded.Count(id => !answeredIds.Contains(id)) <= load.Unanswered.Count, "records of requests nobody sent");
        // Answers may still arrive while the signal is on its way, hence no lower bound.
        Assert.All(lost, a => Assert.True(a.At >= killedAt - s_inMemoryAtMost, $"{a.RequestId}, answered {(killedAt - a.At).TotalMilliseconds:0} ms before the kill, is lost"));
    }

    /// <summary>The request ids in the batches kept in Redis while they are sent (<see cref="UsageParking.SendingKey"/>).</summary>
    private static async Task<List<string>> RequestIdsBeingSentAsync(IDatabase redis)
    {
        var batches = await redis.StreamRangeAsync(UsageParking.SendingKey);
        return [.. batches
            .Select(batch => JsonElement.Parse((string)batch[UsageStreamFormat.BatchField]!))
            .SelectMany(batch => batch.GetProperty("events").EnumerateArray())
            .Select(e => e.GetProperty("request_id").GetString()!)];
    }

    /// <summary>Waits until no batch is parked or being sent, so that what is not in the ledger then is lost for good.</summary>
    private static async Task WaitUntilNothingIsLeftToReplayAsync(IDatabase redis)
    {
        await Eventually.TrueAsync(
            async () => await redis.StreamLengthAsync(UsageParking.SendingKey) == 0 && await redis.StreamLengthAsync(UsageStreamFormat.StreamKey) == 0,
            TestTimeouts.Default, "the surviving replica replays what the killed one left");
        // The replayer deletes an entry once UsageApi has committed it, so the ledger is complete now.
    }
}
