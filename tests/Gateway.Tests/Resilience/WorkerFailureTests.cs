using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;

namespace AiPlatform.Gateway.Tests.Resilience;

/// <summary>
/// Three real simulator workers behind one model, under concurrent load: a worker that fails, or one that is stopped
/// while requests run, costs clients nothing, because the Gateway retries elsewhere before the first byte and then
/// ejects the failing worker.
/// </summary>
public sealed class WorkerFailureTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const int Concurrency = 16;

    /// <summary>Answers of a few tens of milliseconds, so that 16 clients keep requests in flight on every worker.</summary>
    private static readonly (string, string)[] s_latency =
    [
        ("Inference:Simulator:TimeToFirstTokenMs", "10"),
        ("Inference:Simulator:InterTokenLatencyMs", "1"),
    ];

    [Fact]
    public async Task Chat_OneOfThreeWorkersAnswers503_EveryRequestSucceedsSomeOnTheSecondAttempt()
    {
        await using var good1 = SimulatorWorker.Start(s_latency);
        await using var good2 = SimulatorWorker.Start(s_latency);
        await using var failing = SimulatorWorker.Start([.. s_latency, ("Inference:Simulator:Fault", "503")]);
        await using var gateway = await StartGatewayAsync([good1, good2, failing]);
        using var client = gateway.CreateClient();

        var answers = await new ChatLoad(client).RunAsync(requests: 200, until: () => false);

        Assert.Equal(200, answers.Count);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.DoesNotContain(answers, a => a.Target == $"pool@{failing.Authority}");
        Assert.Contains(answers, a => a.Attempts == "2");
        // The retry goes to another worker, and both others answer: a second failure is impossible.
        Assert.All(answers, a => Assert.Contains(a.Attempts, new[] { "1", "2" }));
    }

    [Fact]
    public async Task Chat_WorkerStoppedUnderLoad_NoRequestFailsAndItsShareMovesToTheOthers()
    {
        await using var a = SimulatorWorker.Start(s_latency);
        await using var b = SimulatorWorker.Start(s_latency);
        await using var stopped = SimulatorWorker.Start(s_latency);
        // A long ejection, so that no half-open probe of the stopped worker falls within the test.
        await using var gateway = await StartGatewayAsync([a, b, stopped], ("Gateway:Resilience:Outliers:BaseEjection", "00:01:00"));
        using var client = gateway.CreateClient();
        var stoppedLabel = $"pool@{stopped.Authority}";
        var load = new ChatLoad(client);
        // Set once, read by the load's clients: a completed task is a safe publication.
        var stop = new TaskCompletionSource<TimeSpan>();
        var run = load.RunAsync(requests: int.MaxValue, until: () => stop.Task.IsCompleted && load.Elapsed > stop.Task.Result + TimeSpan.FromSeconds(4));

        // Stopped once it has taken its share of the traffic, while requests are in flight on it.
        await Eventually.TrueAsync(() => Task.FromResult(run.IsCompleted || load.Answers.Any(x => x.Target == stoppedLabel)),
            TestTimeouts.Default, "the worker to be stopped never served");
        await stopped.DisposeAsync();
        var stoppedAt = load.Elapsed;
        stop.SetResult(stoppedAt);
        var answers = await run.WaitAsync(TestTimeouts.Default);

        Assert.All(answers, x => Assert.Equal(HttpStatusCode.OK, x.Status));
        var afterStop = answers.Where(x => x.SentAt > stoppedAt).ToList();
        Assert.NotEmpty(afterStop);
        Assert.DoesNotContain(afterStop, x => x.Target == stoppedLabel);
        // Within a few seconds the stopped worker is ejected: no attempt is spent on it any more, and the two left share the load.
        var settled = afterStop.Where(x => x.SentAt > stoppedAt + TimeSpan.FromSeconds(2)).ToList();
        Assert.NotEmpty(settled);
        Assert.All(settled, x => Assert.Equal("1", x.Attempts));
        Assert.Equal(new[] { $"pool@{a.Authority}", $"pool@{b.Authority}" }.Order(), settled.Select(x => x.Target).Distinct().Order());
    }

    private Task<TestGateway> StartGatewayAsync(SimulatorWorker[] workers, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:Service"] = "pool",
        };
        for (var i = 0; i < workers.Length; i++)
        {
            settings[$"services:pool:http:{i}"] = workers[i].Url.ToString();
        }

        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return TestGateway.StartAsync(redis, settings);
    }

    /// <summary><see cref="Concurrency"/> clients sending non-streamed chat requests back to back; each answer kept with when it was sent.</summary>
    private sealed class ChatLoad(HttpClient client)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly ConcurrentQueue<Answer> _answers = new();

        public TimeSpan Elapsed => _clock.Elapsed;

        public IEnumerable<Answer> Answers => _answers;

        /// <summary>Sends up to <paramref name="requests"/> requests, fewer if <paramref name="until"/> becomes true first.</summary>
        public async Task<List<Answer>> RunAsync(int requests, Func<bool> until)
        {
            var remaining = requests;
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
            {
                while (!until() && Interlocked.Decrement(ref remaining) >= 0)
                {
                    var sentAt = Elapsed;
                    using var response = await TestGateway.PostChatAsync(client, "sim");
                    await response.Content.ReadAsByteArrayAsync();
                    _answers.Enqueue(new Answer(sentAt, response.StatusCode, response.Header("aig-target"), response.Header("aig-attempts")));
                }
            })));
            return [.. _answers];
        }
    }

    private sealed record Answer(TimeSpan SentAt, HttpStatusCode Status, string Target, string Attempts);
}
