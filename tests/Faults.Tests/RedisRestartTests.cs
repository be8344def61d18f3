using System.Diagnostics;
using System.Globalization;
using System.Net;
using AiPlatform.Faults.Tests.Ledger;
using AiPlatform.Faults.Tests.Load;
using AiPlatform.Faults.Tests.Platform;
using Xunit.Abstractions;

namespace AiPlatform.Faults.Tests;

/// <summary>
/// Redis stopped for ten seconds under steady load and started again, empty (it saves nothing): the Gateway serves on
/// with per-replica limits and keys from its memory or UsageApi, UsageApi takes the usage directly, and once Redis is
/// back a key revoked meanwhile stops working within seconds.
/// </summary>
public sealed class RedisRestartTests(ITestOutputHelper output)
{
    private const double RequestsPerSecond = 40;
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_revocationDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RedisRestartedUnderLoad_AnsweredThroughoutRevokedKeyRefusedAfterAndLedgerExact()
    {
        await using var platform = await FaultPlatform.StartAsync();
        var ledger = new LedgerReader(platform);
        // A request limit, so that every request asks Redis for its admission, and falls back to this replica's own
        // counters while Redis is away.
        var key = await platform.CreateKeyAsync(new { name = "redis outage", rpm = 1_000_000 });
        var revoked = await platform.CreateKeyAsync(new { name = "revoked during the redis outage" });
        var gateway = platform.StartGateway(platform.GatewaySettings());
        using var probe = new HttpClient { BaseAddress = gateway };
        await using var load = SteadyLoad.Start(gateway, clients: 4, RequestsPerSecond, n => ChatRequests.Completion(key.Secret, $"redis outage {n}"));
        var revokedAnswers = new List<KeyProbe> { await SendAsync(probe, revoked, "known before the outage") };
        await Task.Delay(TimeSpan.FromSeconds(3));

        await platform.Redis.StopAsync();
        var outageStarted = load.Elapsed;
        await platform.RevokeKeyAsync(revoked);
        await Task.Delay(s_outage / 2);
        // For the record only: the replica may still trust the key from its memory, for up to Gateway:Auth:KeyCacheDuration.
        revokedAnswers.Add(await SendAsync(probe, revoked, "revoked while redis is away"));
        await Task.Delay(s_outage / 2);
        await platform.Redis.StartAsync();
        var outageEnded = load.Elapsed;

        // Probed every 200 ms, fewer than the 30 failed authentications a minute after which an address is refused.
        var sinceRestart = Stopwatch.StartNew();
        revokedAnswers.Add(await SendAsync(probe, revoked, "just after the outage"));
        while (revokedAnswers[^1].Status == HttpStatusCode.OK && sinceRestart.Elapsed < s_revocationDeadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            revokedAnswers.Add(await SendAsync(probe, revoked, $"after the outage {sinceRestart.ElapsedMilliseconds}"));
        }

        var refusedAfter = sinceRestart.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.StopAsync();

        var answered = load.Answers;
        var duringOutage = answered.Count(a => a.At > outageStarted && a.At < outageEnded && a.Status == HttpStatusCode.OK);
        var records = await ledger.SettledRecordsAsync(key, [.. answered.Select(a => a.RequestId!)], TimeSpan.FromSeconds(30));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"answered {answered.Count} ({duringOutage} during the {s_outage.TotalSeconds:0} s outage), recorded {records.Count}; " +
            $"revoked key answered {(int)revokedAnswers[1].Status} during the outage, refused {refusedAfter.TotalSeconds:0.0} s after Redis came back"));

        Assert.Empty(load.Unanswered);
        Assert.All(answered, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.InRange(duringOutage, (int)(RequestsPerSecond * s_outage.TotalSeconds * 0.7), int.MaxValue);
        Assert.Equal(HttpStatusCode.Unauthorized, revokedAnswers[^1].Status);
        LedgerJudge.AssertOneRecordPerAnswer([.. answered.Select(a => a.RequestId!)], records);
        // Refused requests never reach the model stage, so only the revoked key's answered ones have records.
        LedgerJudge.AssertOneRecordPerAnswer(
            [.. revokedAnswers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.RequestId!)], await ledger.RecordsAsync(revoked));
    }

    private static async Task<KeyProbe> SendAsync(HttpClient client, VirtualKey key, string text)
    {
        using var request = ChatRequests.Completion(key.Secret, text);
        using var response = await client.SendAsync(request);
        return new KeyProbe(response.Headers.GetValues("aig-request-id").Single(), response.StatusCode);
    }

    private sealed record KeyProbe(string RequestId, HttpStatusCode Status);
}
