using System.Net;
using AiPlatform.InferenceWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiPlatform.InferenceWorker.Tests.Admission;

/// <summary>
/// Admission control under a fake clock: a time to first token that never elapses until the test moves the clock
/// keeps requests running or waiting exactly as long as the test needs.
/// </summary>
public sealed class AdmissionTests
{
    private static readonly object s_chat = new { model = "sim", messages = new[] { new { role = "user", content = "Hi" } } };

    [Fact]
    public async Task Admission_RunningAndWaitingFull_ThirdRequestGets503WithRetryAfter()
    {
        var time = new FakeTimeProvider();
        using var host = SlowHost(time);
        using var client = host.CreateClient();

        var first = Sse.PostAsync(client, "/v1/chat/completions", s_chat);
        await Wait.UntilAsync(async () => await host.MetricAsync("vllm:num_requests_running") == 1, "the first request runs");
        var second = Sse.PostAsync(client, "/v1/chat/completions", s_chat);
        await Wait.UntilAsync(async () => await host.MetricAsync("vllm:num_requests_waiting") == 1, "the second request waits");

        using var third = await Sse.PostAsync(client, "/v1/chat/completions", s_chat);
        var error = (await Sse.JsonAsync(third)).GetProperty("error");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal("2", third.Headers.RetryAfter?.ToString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("server_overloaded", error.GetProperty("code").GetString());
        Assert.Equal(1, await host.MetricAsync("aiplatform_worker_requests_rejected_total"));

        using var firstResponse = await AdvanceUntilAsync(time, first);
        using var secondResponse = await AdvanceUntilAsync(time, second);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondResponse.StatusCode);
        Assert.Equal(0, await host.MetricAsync("vllm:num_requests_running"));
        Assert.Equal(0, await host.MetricAsync("vllm:num_requests_waiting"));
    }

    [Fact]
    public async Task Admission_WaitingClientDisconnects_LeavesQueue()
    {
        var time = new FakeTimeProvider();
        using var host = SlowHost(time);
        using var client = host.CreateClient();
        var first = Sse.PostAsync(client, "/v1/chat/completions", s_chat);
        await Wait.UntilAsync(async () => await host.MetricAsync("vllm:num_requests_running") == 1, "the first request runs");

        using (var leaving = new CancellationTokenSource())
        {
            var second = client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(s_chat), leaving.Token);
            await Wait.UntilAsync(async () => await host.MetricAsync("vllm:num_requests_waiting") == 1, "the second request waits");
            leaving.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        }

        await Wait.UntilAsync(async () => await host.MetricAsync("vllm:num_requests_waiting") == 0, "the second request leaves the queue");
        var third = Sse.PostAsync(client, "/v1/chat/completions", s_chat);
        await Wait.UntilAsync(async () => await host.MetricAsync("vllm:num_requests_waiting") == 1, "the third request takes the free place");
        Assert.Equal(0, await host.MetricAsync("aiplatform_worker_requests_rejected_total"));

        using var firstResponse = await AdvanceUntilAsync(time, first);
        using var thirdResponse = await AdvanceUntilAsync(time, third);
        Assert.Equal(HttpStatusCode.OK, thirdResponse.StatusCode);
    }

    private static WorkerHost SlowHost(FakeTimeProvider time) => WorkerHost.Simulator(
        new Dictionary<string, string?>
        {
            ["Inference:Admission:MaxRunning"] = "1",
            ["Inference:Admission:MaxWaiting"] = "1",
            ["Inference:Admission:RetryAfterSeconds"] = "2",
            ["Inference:Simulator:TimeToFirstTokenMs"] = "1000",
        },
        services: services => services.AddSingleton<TimeProvider>(time));

    /// <summary>Moves the clock until the request completes (its timer may start just after a move).</summary>
    private static async Task<HttpResponseMessage> AdvanceUntilAsync(FakeTimeProvider time, Task<HttpResponseMessage> request)
    {
        var deadline = DateTime.UtcNow + Wait.DefaultTimeout;
        while (!request.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(request, Task.Delay(20));
        }

        Assert.True(request.IsCompleted, $"request still pending at fake time {time.GetUtcNow():O}");
        return await request;
    }
}
