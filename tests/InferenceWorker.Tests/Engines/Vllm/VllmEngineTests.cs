using System.Net;
using System.Net.Sockets;
using System.Text;
using AiPlatform.InferenceWorker.Tests.Support;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace AiPlatform.InferenceWorker.Tests.Engines.Vllm;

/// <summary>A worker with the vllm engine in front of a second worker running the simulator, both on real sockets.</summary>
public sealed class VllmEngineTests(VllmEngineTests.PairFixture pair) : IClassFixture<VllmEngineTests.PairFixture>
{
    private static readonly ChatMessage[] s_messages = [new UserChatMessage("Forward me.")];

    [Fact]
    public async Task Forward_NonStreamedChat_UpstreamAnswerAsIs()
    {
        ChatCompletion direct = await pair.Upstream.ChatClient().CompleteChatAsync(s_messages);

        ChatCompletion forwarded = await pair.Worker.ChatClient().CompleteChatAsync(s_messages);

        Assert.Equal(direct.Content[0].Text, forwarded.Content[0].Text);
        Assert.Equal("simulator", forwarded.SystemFingerprint);
        Assert.Equal(direct.Usage.TotalTokenCount, forwarded.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Forward_StreamedChat_EventsRelayedWithUsage()
    {
        ChatCompletion direct = await pair.Upstream.ChatClient().CompleteChatAsync(s_messages);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in pair.Worker.ChatClient().CompleteChatStreamingAsync(s_messages))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Equal(direct.Content[0].Text, text.ToString());
        Assert.Equal(direct.Usage.OutputTokenCount, usage?.OutputTokenCount);
    }

    [Fact]
    public async Task Forward_CompletionsEmbeddingsModels_PassThrough()
    {
        using var client = pair.Worker.CreateClient();

        using var completion = await Sse.PostAsync(client, "/v1/completions", new { model = "sim", prompt = "Hi", max_tokens = 2 });
        OpenAIEmbedding embedding = await pair.Worker.EmbeddingClient().GenerateEmbeddingAsync("Hi");
        OpenAIModelCollection models = await pair.Worker.ModelClient().GetModelsAsync();

        Assert.Equal("text_completion", (await Sse.JsonAsync(completion)).GetProperty("object").GetString());
        Assert.Equal(384, embedding.ToFloats().Length);
        Assert.Equal("aiplatform-simulator", Assert.Single(models).OwnedBy);
    }

    [Fact]
    public async Task Forward_UpstreamRejectsModel_UpstreamStatusAndBodyPassThrough()
    {
        using var client = pair.Worker.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", new { model = "other", messages = new[] { new { role = "user", content = "Hi" } } });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", (await Sse.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Forward_UnableToConnect_Returns502()
    {
        using var worker = WorkerHost.Vllm(new Uri($"http://127.0.0.1:{ClosedPort()}/v1"));
        using var client = worker.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", new { model = "sim", messages = new[] { new { role = "user", content = "Hi" } } });
        var error = (await Sse.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("upstream_unreachable", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Forward_UpstreamSilent_Returns504AndCancelsUpstream()
    {
        using var silent = WorkerHost.Simulator(new Dictionary<string, string?> { ["Inference:Simulator:Fault"] = "timeout" }, kestrel: true);
        using var worker = WorkerHost.Vllm(silent.BaseAddress, new Dictionary<string, string?> { ["Inference:Vllm:TimeoutSeconds"] = "0.3" });
        using var client = worker.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", new { model = "sim", messages = new[] { new { role = "user", content = "Hi" } } });

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream_timeout", (await Sse.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Forward_ClientDisconnectsMidStream_UpstreamStopsGenerating()
    {
        using var slow = WorkerHost.Simulator(
            new Dictionary<string, string?>
            {
                ["Inference:Simulator:InterTokenLatencyMs"] = "20",
                ["Inference:Simulator:DefaultMaxTokens"] = "100000",
            },
            kestrel: true);
        using var worker = WorkerHost.Vllm(slow.BaseAddress);
        using var client = Wait.RealClient(worker.BaseAddress);

        var response = await Sse.PostAsync(client, "/v1/chat/completions", new
        {
            model = "sim",
            messages = new[] { new { role = "user", content = "Tell me a long story." } },
            stream = true,
        });
        await Wait.ReadEventsAsync(await response.Content.ReadAsStreamAsync(), 4);
        Assert.Equal(1, await worker.MetricAsync("vllm:num_requests_running"));
        response.Dispose();

        await Wait.UntilAsync(async () => await slow.MetricAsync("vllm:num_requests_running") == 0, "the upstream stops generating");
        await Wait.UntilAsync(async () => await worker.MetricAsync("vllm:num_requests_running") == 0, "the forwarding worker lets go");
        var generated = await slow.MetricAsync("vllm:generation_tokens_total");
        await Task.Delay(300);
        Assert.Equal(generated, await slow.MetricAsync("vllm:generation_tokens_total"));
    }

    [Fact]
    public async Task Forward_ApiKeyConfigured_SentAsBearerInsteadOfClientsAuthorization()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        using var worker = WorkerHost.Vllm(upstream.Address, new Dictionary<string, string?>
        {
            ["Inference:Vllm:ApiKey"] = "upstream-key",
            ["Inference:Vllm:Model"] = "served-model",
        });
        using var client = worker.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "client-key");

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", new { model = "served-model", messages = new[] { new { role = "user", content = "Hi" } } });
        OpenAIModelCollection models = await worker.ModelClient().GetModelsAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("x-upstream").Single());
        Assert.Equal("Bearer upstream-key", upstream.Authorization);
        Assert.Contains("\"served-model\"", upstream.Body, StringComparison.Ordinal);
        Assert.Equal("served-model", Assert.Single(models).Id);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed class PairFixture : IDisposable
    {
        public PairFixture()
        {
            Upstream = WorkerHost.Simulator(kestrel: true);
            Worker = WorkerHost.Vllm(Upstream.BaseAddress);
        }

        public WorkerHost Upstream { get; }

        public WorkerHost Worker { get; }

        public void Dispose()
        {
            Worker.Dispose();
            Upstream.Dispose();
        }
    }
}
