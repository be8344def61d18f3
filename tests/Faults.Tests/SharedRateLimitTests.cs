using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using AiPlatform.Faults.Tests.Ledger;
using AiPlatform.Faults.Tests.Load;
using AiPlatform.Faults.Tests.Platform;
using Xunit.Abstractions;

namespace AiPlatform.Faults.Tests;

/// <summary>
/// Two Gateway replicas share one Redis, so a key's request limit holds across them: hammered through both at once, in
/// real time, the key gets exactly its limit answered, while a hostile client throws garbage at both replicas.
/// </summary>
public sealed class SharedRateLimitTests(ITestOutputHelper output)
{
    private const int Rpm = 50;
    private const int Requests = 5 * Rpm;
    private const int ConcurrentRequests = 32;

    [Fact]
    public async Task KeyHammeredThroughTwoReplicasWithGarbageBesides_ExactlyItsLimitAnsweredRestRefusedLedgerHoldsTheAnswered()
    {
        await using var platform = await FaultPlatform.StartAsync();
        var ledger = new LedgerReader(platform);
        var key = await platform.CreateKeyAsync(new { name = "shared limit", rpm = Rpm });
        var settings = platform.GatewaySettings();
        Uri[] replicas = [platform.StartGateway(settings), platform.StartGateway(settings)];
        using var first = new HttpClient { BaseAddress = replicas[0] };
        using var second = new HttpClient { BaseAddress = replicas[1] };
        HttpClient[] clients = [first, second];
        // Each replica learns the key from a request refused before rate limiting (a body that is not JSON), which spends
        // none of the limit, so that the hammering below measures the limit and not the first key lookups.
        foreach (var client in clients)
        {
            using var notJson = HostileRequests.Create(1, key.Secret).Request;
            using var refused = await client.SendAsync(notJson);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var stopGarbage = new CancellationTokenSource();
        var garbage = Task.Run(() => SendGarbageAsync(clients, key, stopGarbage.Token));
        var hammering = Stopwatch.StartNew();
        var answers = new ConcurrentBag<(string RequestId, HttpStatusCode Status, bool RetryAfter)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = ConcurrentRequests }, async (n, _) =>
        {
            using var request = ChatRequests.Completion(key.Secret, $"hammer {n}");
            using var response = await clients[n % 2].SendAsync(request);
            answers.Add((response.Headers.GetValues("aig-request-id").Single(), response.StatusCode, response.Headers.RetryAfter is not null));
        });
        var burst = hammering.Elapsed;
        await stopGarbage.CancelAsync();
        var hostile = await garbage;

        var ok = answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.RequestId).ToList();
        var limited = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        var records = await ledger.SettledRecordsAsync(key, ok, TimeSpan.FromSeconds(30));
        // The bucket refills continuously (Rpm a minute): a burst longer than 60/Rpm seconds may earn another request.
        var refills = (int)(burst.TotalMinutes * Rpm);
        var hostileOutcomes = string.Join(", ", hostile.GroupBy(h => h.Outcome).Select(g => $"{g.Count()} × {g.Key}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Requests} requests in {burst.TotalSeconds:0.00} s: {ok.Count} answered, {limited.Count} refused with 429; {hostile.Count} hostile requests: {hostileOutcomes}"));

        Assert.InRange(ok.Count, Rpm, Rpm + refills);
        Assert.Equal(Requests - ok.Count, limited.Count);
        Assert.All(limited, a => Assert.True(a.RetryAfter, "a 429 without Retry-After"));
        Assert.NotEmpty(hostile);
        Assert.All(hostile, h => Assert.True(h.Status is >= 400 and < 500, $"{h.Name} answered {h.Outcome}"));
        // Rate limiting and request validation come before the ledger's stage: only the answered requests have records.
        LedgerJudge.AssertOneRecordPerAnswer(ok, records);
    }

    /// <summary>Hostile requests through both replicas, one after the other, until told to stop.</summary>
    private static async Task<List<HostileOutcome>> SendGarbageAsync(HttpClient[] replicas, VirtualKey key, CancellationToken stop)
    {
        var outcomes = new List<HostileOutcome>();
        for (var n = 0; !stop.IsCancellationRequested || outcomes.Count < 2 * HostileRequests.Kinds; n++)
        {
            var (name, request) = HostileRequests.Create(n, key.Secret);
            using (request)
            {
                try
                {
                    using var response = await replicas[n % 2].SendAsync(request, CancellationToken.None);
                    outcomes.Add(new HostileOutcome(name, (int)response.StatusCode, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)));
                }
                catch (HttpRequestException ex)
                {
                    outcomes.Add(new HostileOutcome(name, 0, ex.Message));
                }
            }
        }

        return outcomes;
    }

    private sealed record HostileOutcome(string Name, int Status, string Outcome);
}
