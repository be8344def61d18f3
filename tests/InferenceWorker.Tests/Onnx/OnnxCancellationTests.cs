using System.Net.Http.Json;
using AiPlatform.InferenceWorker.Tests.Support;
using AiPlatform.Testing.Onnx;
using OpenAI.Chat;

namespace AiPlatform.InferenceWorker.Tests.Onnx;

/// <summary>A client that leaves mid-answer frees its sequence slot: the next request of a one-slot worker is served.</summary>
public sealed class OnnxCancellationTests(TinyModelsFixture models) : IClassFixture<TinyModelsFixture>
{
    /// <summary>Tokens the endless answer may take: minutes of generation, had the client's leaving not stopped it.</summary>
    private const int MaxTokens = 1_000_000;

    [Fact]
    public async Task Stream_ClientLeavesMidAnswer_GenerationStopsAndTheNextRequestIsServed()
    {
        var folder = Path.Combine(models.Root, "tiny-long-context");
        TinyDecoder.Write(folder, kvCache: true, context: MaxTokens * 2);
        using var host = WorkerHost.Onnx(new Dictionary<string, string> { ["tiny-kv"] = folder },
            new Dictionary<string, string?> { ["Inference:Onnx:MaxConcurrentSequences"] = "1" }, kestrel: true);
        using (var client = host.CreateClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = JsonContent.Create(new
                {
                    model = "tiny-kv", stream = true, max_tokens = MaxTokens, temperature = 0,
                    messages = new[] { new { role = "user", content = OnnxGenerationTests.Endless() } },
                }),
            };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            // The role chunk and a first token, then the client goes.
            for (var events = 0; events < 2;)
            {
                events += (await reader.ReadLineAsync())?.StartsWith("data: ", StringComparison.Ordinal) == true ? 1 : 0;
            }
        }

        var next = (await host.ChatClient("tiny-kv").CompleteChatAsync([new UserChatMessage("Are you free?")],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 3 }).WaitAsync(TimeSpan.FromSeconds(30))).Value;

        Assert.Equal(3, next.Usage.OutputTokenCount);
        await Wait.UntilAsync(async () => await host.MetricAsync("vllm:num_requests_running") == 0, "no request running");
        Assert.True(await host.MetricAsync("vllm:generation_tokens_total") < MaxTokens / 10, "The answer went on after its client left.");
    }
}
