using System.Net;
using System.Text;
using System.Text.Json;
using AiPlatform.InferenceWorker.Engines.Simulator;
using AiPlatform.InferenceWorker.Tests.Support;
using OpenAI.Chat;

namespace AiPlatform.InferenceWorker.Tests.Api;

public sealed class ChatCompletionsTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static readonly ChatMessage[] s_messages = [new SystemChatMessage("Be brief."), new UserChatMessage("Hello, world!")];

    [Fact]
    public async Task CompleteChat_OfficialSdk_DeterministicAnswerSaysSimulatorWithTokenizerUsage()
    {
        var client = fixture.Host.ChatClient();

        ChatCompletion first = await client.CompleteChatAsync(s_messages);
        ChatCompletion second = await client.CompleteChatAsync(s_messages);

        var content = Assert.Single(first.Content).Text;
        Assert.Equal(content, Assert.Single(second.Content).Text);
        Assert.StartsWith("chatcmpl-", first.Id, StringComparison.Ordinal);
        Assert.Equal("sim", first.Model);
        Assert.Equal("simulator", first.SystemFingerprint);
        Assert.Equal(ChatMessageRole.Assistant, first.Role);
        Assert.Equal(ChatFinishReason.Stop, first.FinishReason);
        // system "Be brief." = 1 + 3, user "Hello, world!" = 1 + 4, plus 3 per message and 3 for the reply.
        Assert.Equal(18, first.Usage.InputTokenCount);
        Assert.Equal(SimulatorTokenizer.Count(content), first.Usage.OutputTokenCount);
        Assert.Equal(first.Usage.InputTokenCount + first.Usage.OutputTokenCount, first.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_OfficialSdk_PiecesConcatenateToNonStreamedContentAndUsageMatches()
    {
        var client = fixture.Host.ChatClient();
        ChatCompletion whole = await client.CompleteChatAsync(s_messages);

        var text = new StringBuilder();
        var contentUpdates = 0;
        ChatFinishReason? finishReason = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(s_messages))
        {
            // The role chunk's empty content arrives as an empty part; every other part is one token.
            foreach (var part in update.ContentUpdate.Where(p => p.Text.Length > 0))
            {
                text.Append(part.Text);
                contentUpdates++;
            }

            finishReason ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finishReason);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(usage.OutputTokenCount, contentUpdates);
    }

    [Fact]
    public async Task CompleteChat_MaxOutputTokens_FinishesWithLength()
    {
        ChatCompletion completion = await fixture.Host.ChatClient().CompleteChatAsync(s_messages, new ChatCompletionOptions { MaxOutputTokenCount = 3 });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
        Assert.Equal(3, SimulatorTokenizer.Count(completion.Content[0].Text));
    }

    [Fact]
    public async Task CompleteChat_StopSequence_FinishesWithStopWithoutTheStopString()
    {
        var client = fixture.Host.ChatClient();
        ChatCompletion whole = await client.CompleteChatAsync(s_messages);
        var text = whole.Content[0].Text;
        var stop = text.Substring(text.Length / 2, 2);

        var options = new ChatCompletionOptions();
        options.StopSequences.Add(stop);
        ChatCompletion stopped = await client.CompleteChatAsync(s_messages, options);

        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], stopped.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.Equal(SimulatorTokenizer.Count(stopped.Content[0].Text), stopped.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task ChatStream_IncludeUsage_RoleChunkThenContentThenFinishThenUsageThenDone()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", new
        {
            model = "sim",
            messages = new[] { new { role = "user", content = "Hi" } },
            max_tokens = 4,
            stream = true,
            stream_options = new { include_usage = true },
        });
        var events = await Sse.ReadDataAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.Equal(1 + 4 + 1 + 1, chunks.Count);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());

        var role = chunks[0].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("assistant", role.GetProperty("role").GetString());
        Assert.Equal("", role.GetProperty("content").GetString());
        Assert.All(chunks[1..5], c => Assert.Equal(JsonValueKind.String, c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").ValueKind));
        Assert.Equal("length", chunks[5].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));

        var last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.Equal(4, last.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(
            last.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() + 4,
            last.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatStream_WithoutIncludeUsage_NoUsageAnywhere()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", new
        {
            model = "sim",
            messages = new[] { new { role = "user", content = "Hi" } },
            stream = true,
        });
        var events = await Sse.ReadDataAsync(response);

        Assert.Equal("[DONE]", events[^1]);
        Assert.All(events[..^1], e => Assert.False(JsonDocument.Parse(e).RootElement.TryGetProperty("usage", out _)));
    }

    [Fact]
    public async Task CompleteChat_Seed_SameSeedSameAnswerOtherSeedOtherAnswer()
    {
        using var client = fixture.Host.CreateClient();

        var seven = await ContentAsync(client, seed: 7);
        var sevenAgain = await ContentAsync(client, seed: 7);
        var eight = await ContentAsync(client, seed: 8);

        Assert.Equal(seven, sevenAgain);
        Assert.NotEqual(seven, eight);
    }

    [Fact]
    public async Task CompleteChat_NTwo_TwoIndexedChoicesThatDiffer()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", new
        {
            model = "sim",
            messages = new[] { new { role = "user", content = "Hi" } },
            n = 2,
            temperature = 0.7,
        });
        var body = await Sse.JsonAsync(response);

        var choices = body.GetProperty("choices");
        Assert.Equal(2, choices.GetArrayLength());
        Assert.Equal(1, choices[1].GetProperty("index").GetInt32());
        var texts = choices.EnumerateArray().Select(c => c.GetProperty("message").GetProperty("content").GetString()!).ToList();
        Assert.NotEqual(texts[0], texts[1]);
        Assert.Equal(texts.Sum(t => SimulatorTokenizer.Count(t)), body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatStream_NTwo_EachChoiceStreamsItsOwnAnswer()
    {
        using var client = fixture.Host.CreateClient();
        var request = new
        {
            model = "sim",
            messages = new[] { new { role = "user", content = "Hi" } },
            n = 2,
            stream = true,
        };

        using var whole = await Sse.PostAsync(client, "/v1/chat/completions", new { request.model, request.messages, request.n });
        var expected = (await Sse.JsonAsync(whole)).GetProperty("choices").EnumerateArray()
            .Select(c => c.GetProperty("message").GetProperty("content").GetString()).ToList();
        using var streamed = await Sse.PostAsync(client, "/v1/chat/completions", request);
        var events = await Sse.ReadDataAsync(streamed);

        var texts = new[] { new StringBuilder(), new StringBuilder() };
        foreach (var data in events[..^1])
        {
            var choice = JsonDocument.Parse(data).RootElement.GetProperty("choices")[0];
            if (choice.GetProperty("delta").TryGetProperty("content", out var content))
            {
                texts[choice.GetProperty("index").GetInt32()].Append(content.GetString());
            }
        }

        Assert.Equal(expected, texts.Select(t => t.ToString()));
    }

    private static async Task<string> ContentAsync(HttpClient client, long seed)
    {
        using var response = await Sse.PostAsync(client, "/v1/chat/completions", new
        {
            model = "sim",
            messages = new[] { new { role = "user", content = "Pick a word." } },
            seed,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Sse.JsonAsync(response)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }
}
