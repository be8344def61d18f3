using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Diagnostics;
using AiPlatform.EndToEnd.Tests.Hosting;
using AiPlatform.ServiceDefaults.Configuration;
using OpenAI;
using OpenAI.Chat;

namespace AiPlatform.EndToEnd.Tests;

/// <summary>
/// A worker process killed while the platform is under load, as a crashed or evicted pod would be: the callers, using
/// the OpenAI SDK with its own retries off, see no failure, and the dead worker's share moves to the others.
/// </summary>
public sealed class WorkerFailoverTests(ThreeWorkersFixture platform) : IClassFixture<ThreeWorkersFixture>
{
    private const int Callers = 12;
    private static readonly TimeSpan s_beforeKill = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan s_afterKill = TimeSpan.FromSeconds(10);

    /// <summary>Time for the Gateway to stop choosing the dead worker: its failures eject it, and its announcement expires.</summary>
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task CompleteChat_WorkerKilledUnderLoad_NoCallerFailsAndItsShareMovesToTheOthers()
    {
        var chat = new OpenAIClient(new ApiKeyCredential(platform.DevKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(platform.GatewayUrl, "/v1"),
            // The SDK would retry a 502 itself and hide a failure of the Gateway's.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        }).GetChatClient("sim");
        var victim = platform.WorkerAddress(1);
        var answers = new ConcurrentBag<(TimeSpan At, string Target)>();
        var failures = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        var end = s_beforeKill + s_afterKill;

        var load = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; clock.Elapsed < end; i++)
            {
                try
                {
                    // Different every time: the response cache must not answer in the worker's place.
                    var result = await chat.CompleteChatAsync([new UserChatMessage($"caller {caller} question {i} at {clock.ElapsedTicks}")]);
                    var headers = result.GetRawResponse().Headers;
                    answers.Add((clock.Elapsed, headers.TryGetValue("aig-target", out var target) ? target! : "?"));
                }
                catch (Exception e) when (e is ClientResultException or IOException or HttpRequestException or TaskCanceledException)
                {
                    failures.Add($"{clock.Elapsed}: {e.Message}");
                }
            }
        })).ToList();

        await Task.Delay(s_beforeKill);
        var pids = ProcessTable.WithEnvironmentVariable(KnownConfigNames.InferenceAnnounceAddressVariable, victim);
        var killedAt = clock.Elapsed;
        // The worker, and the launcher DCP may have started it through.
        Assert.NotEmpty(pids);
        foreach (var pid in pids)
        {
            Signals.kill(pid, Signals.SigKill);
        }

        await Task.WhenAll(load);

        Assert.Empty(failures);
        var victimPort = victim[(victim.LastIndexOf(':') + 1)..];
        bool FromVictim((TimeSpan At, string Target) answer) => answer.Target.EndsWith($":{victimPort}", StringComparison.Ordinal);
        Assert.Contains(answers, answer => answer.At < killedAt && FromVictim(answer));
        var settled = answers.Where(answer => answer.At > killedAt + s_settle).ToList();
        Assert.NotEmpty(settled);
        Assert.DoesNotContain(settled, FromVictim);
        Assert.Equal(2, settled.Select(answer => answer.Target).Distinct().Count());
    }
}
