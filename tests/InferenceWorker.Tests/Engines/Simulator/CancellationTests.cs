using AiPlatform.InferenceWorker.Tests.Support;

namespace AiPlatform.InferenceWorker.Tests.Engines.Simulator;

public sealed class CancellationTests
{
    [Fact]
    public async Task Stream_ClientDisconnectsMidGeneration_GeneratedTokensStopGrowing()
    {
        using var host = WorkerHost.Simulator(
            new Dictionary<string, string?>
            {
                ["Inference:Simulator:InterTokenLatencyMs"] = "20",
                ["Inference:Simulator:DefaultMaxTokens"] = "100000",
            },
            kestrel: true);
        using var client = Wait.RealClient(host.BaseAddress);

        var response = await Sse.PostAsync(client, "/v1/chat/completions", new
        {
            model = "sim",
            messages = new[] { new { role = "user", content = "Tell me a long story." } },
            stream = true,
        });
        await Wait.ReadEventsAsync(await response.Content.ReadAsStreamAsync(), 4);
        Assert.Equal(1, await host.MetricAsync("vllm:num_requests_running"));
        response.Dispose();

        await Wait.UntilAsync(async () => await host.MetricAsync("vllm:num_requests_running") == 0, "generation stops");
        var generated = await host.MetricAsync("vllm:generation_tokens_total");
        await Task.Delay(300);

        Assert.Equal(generated, await host.MetricAsync("vllm:generation_tokens_total"));
        Assert.InRange(generated, 3, 200);
        Assert.Equal(0, await host.MetricAsync("vllm:request_success_total", "stop"));
    }
}
