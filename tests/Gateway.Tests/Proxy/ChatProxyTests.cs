using System.ClientModel;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace AiPlatform.Gateway.Tests.Proxy;

[Collection(InferencePathCollection.Name)]
public sealed class ChatProxyTests(InferencePathFixture platform)
{
    private ChatClient Chat(string model, Uri? baseUrl = null) =>
        new OpenAIClient(new ApiKeyCredential(platform.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(baseUrl ?? platform.GatewayUrl, "v1") })
            .GetChatClient(model);

    [Fact]
    public async Task Chat_NonStreamedThroughSdk_MatchesTheWorkersOwnAnswer()
    {
        ChatMessage[] messages = [new UserChatMessage("Tell me about gateways")];
        var options = new ChatCompletionOptions { Seed = 7 };

        ChatCompletion viaGateway = await Chat("sim").CompleteChatAsync(messages, options);
        ChatCompletion direct = await Chat("sim", platform.FastWorkerUrl).CompleteChatAsync(messages, options);

        Assert.False(string.IsNullOrWhiteSpace(viaGateway.Content[0].Text));
        Assert.Equal(direct.Content[0].Text, viaGateway.Content[0].Text);
        Assert.Equal(direct.Usage.TotalTokenCount, viaGateway.Usage.TotalTokenCount);
        Assert.Equal(viaGateway.Usage.InputTokenCount + viaGateway.Usage.OutputTokenCount, viaGateway.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Chat_StreamedThroughSdk_PiecesAddUpToTheNonStreamedAnswer()
    {
        ChatMessage[] messages = [new UserChatMessage("Stream me something")];
        var options = new ChatCompletionOptions { Seed = 3 };
        ChatCompletion whole = await Chat("sim").CompleteChatAsync(messages, options);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Chat("sim").CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(whole.FinishReason, finish);
    }

    [Fact]
    public async Task Chat_RenamedModel_ReachesUpstreamUnderItsOwnName()
    {
        ChatCompletion completion = await Chat("renamed").CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("sim", completion.Model);
    }

    [Fact]
    public async Task Chat_StreamWithoutIncludeUsage_ClientGetsNoUsageChunk()
    {
        using var client = platform.CreateGatewayClient();
        using var response = await client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), JsonContent.Create(new
        {
            model = "sim",
            stream = true,
            messages = new[] { new { role = "user", content = "no usage please" } },
        }));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", payloads[^1]);
        Assert.DoesNotContain(payloads, Sse.IsUsageChunk);
        Assert.NotEmpty(Sse.ContentOf(payloads));
    }

    [Fact]
    public async Task Chat_SlowModel_FirstChunkArrivesWhileUpstreamIsStillGenerating()
    {
        using var client = platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "slow", stream = true, max_tokens = 30, messages = new[] { new { role = "user", content = "go slowly" } } }),
        };
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);

        TimeSpan? firstContent = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (firstContent is null && line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
            {
                firstContent = clock.Elapsed;
            }
        }

        var total = clock.Elapsed;
        var generation = TimeSpan.FromMilliseconds(30 * InferencePathFixture.SlowInterTokenMs);
        Assert.NotNull(firstContent);
        Assert.True(total >= generation, $"the whole stream took {total}, less than the simulated {generation}");
        Assert.True(firstContent < total / 2, $"first content after {firstContent} of {total}: the Gateway buffered the stream");
    }

    [Fact]
    public async Task Chat_ClientLeavesMidStream_UpstreamStopsGenerating()
    {
        using var client = platform.CreateGatewayClient();
        using var metrics = new HttpClient { BaseAddress = platform.SlowWorkerUrl };
        var before = await WorkerMetrics.ReadAsync(metrics);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "slow", stream = true, max_tokens = 64, messages = new[] { new { role = "user", content = "a long answer" } } }),
        })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[256];
            Assert.True(await body.ReadAsync(buffer) > 0);
        }

        await Testing.Eventually.TrueAsync(async () => (await WorkerMetrics.ReadAsync(metrics)).Running == 0, TimeSpan.FromSeconds(2),
            "the worker kept generating after the client left");
        var stopped = await WorkerMetrics.ReadAsync(metrics);
        await Task.Delay(4 * InferencePathFixture.SlowInterTokenMs);
        var later = await WorkerMetrics.ReadAsync(metrics);

        Assert.Equal(stopped.GenerationTokens, later.GenerationTokens);
        Assert.True(later.GenerationTokens - before.GenerationTokens < 64, "all 64 tokens were generated for nobody");
    }

    [Fact]
    public async Task Chat_UpstreamDropsMidStream_ClientGetsErrorEventThenTheConnectionBreaks()
    {
        using var client = platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "slow", stream = true, messages = new[] { new { role = "user", content = "break" } } }),
        };
        request.Headers.Add("aig-sim-fault", "drop-mid-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        var received = new StringBuilder();
        var cut = false;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(body);
            while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) is { } line)
            {
                received.AppendLine(line);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            cut = true;
        }

        var payloads = Sse.DataPayloads(received.ToString().ReplaceLineEndings("\n"));
        Assert.True(cut, "the stream ended cleanly, as if it were complete");
        Assert.NotEmpty(Sse.ContentOf(payloads[..^1]));
        using var last = JsonDocument.Parse(payloads[^1]);
        Assert.Equal("upstream_stream_error", last.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("[DONE]", payloads);
    }

    [Fact]
    public async Task Chat_UpstreamDropsMidStreamThroughSdk_SdkThrows()
    {
        var sdkOptions = new OpenAIClientOptions { Endpoint = new Uri(platform.GatewayUrl, "v1") };
        sdkOptions.AddPolicy(new AddHeaderPolicy("aig-sim-fault", "drop-mid-stream"), System.ClientModel.Primitives.PipelinePosition.PerCall);
        var chat = new OpenAIClient(new ApiKeyCredential(platform.ApiKey), sdkOptions).GetChatClient("slow");

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage("break through the sdk")]))
            {
            }
        });

        Assert.NotNull(error);
    }

    [Fact]
    public async Task Chat_RequestId_EchoedWhenWellFormedAndMadeOtherwise()
    {
        using var client = platform.CreateGatewayClient();
        using var given = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "sim", messages = new[] { new { role = "user", content = "id" } } }),
        };
        given.Headers.Add("aig-request-id", "my-trace-42");
        using var answered = await client.SendAsync(given);
        using var made = await client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative),
            JsonContent.Create(new { model = "sim", messages = new[] { new { role = "user", content = "id" } } }));

        Assert.Equal("my-trace-42", answered.Headers.GetValues("aig-request-id").Single());
        Assert.StartsWith("req_", made.Headers.GetValues("aig-request-id").Single());
        Assert.StartsWith("inference@127.0.0.1:", answered.Headers.GetValues("aig-target").Single());
        using var json = JsonDocument.Parse(await answered.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", json.RootElement.GetProperty("object").GetString());
    }
}
