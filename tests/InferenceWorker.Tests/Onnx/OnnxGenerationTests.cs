using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AiPlatform.Testing.Onnx;
using OpenAI.Chat;

namespace AiPlatform.InferenceWorker.Tests.Onnx;

/// <summary>
/// Chat and completions on the onnx engine, through the official SDK where it can say it: the tokens a known model
/// must produce, streamed or not, with a KV cache or without, bounded by max_tokens and stop strings, usage counted.
/// </summary>
public sealed class OnnxGenerationTests(TinyModelsFixture models) : IClassFixture<TinyModelsFixture>
{
    /// <summary>A prompt whose continuation reaches the end-of-sequence token within a few tokens.</summary>
    private static readonly (string Role, string Content) s_ends = ("user", Ending());

    [Theory]
    [InlineData("tiny-kv")]
    [InlineData("tiny")]
    public async Task Chat_Greedy_AnswersTheModelsKnownTokensWithUsage(string model)
    {
        var prompt = TinyDecoder.Encode(TinyDecoder.ChatPrompt(s_ends));
        var expected = TinyDecoder.Continue(prompt, 100);

        var completion = (await models.Host.ChatClient(model).CompleteChatAsync(
            [new UserChatMessage(s_ends.Content)], new ChatCompletionOptions { Temperature = 0 })).Value;

        Assert.Equal(TextOf(expected), completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(prompt.Count, completion.Usage.InputTokenCount);
        Assert.Equal(expected.Count, completion.Usage.OutputTokenCount);
        Assert.Equal(TinyDecoder.ImEnd, expected[^1]);
    }

    [Fact]
    public async Task Chat_Streamed_DeltasMakeTheSameAnswerAsNotStreamedAndUsageComesLast()
    {
        var client = models.Host.ChatClient("tiny-kv");
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 40 };
        var whole = (await client.CompleteChatAsync([new UserChatMessage("Stream this, please.")], options)).Value;

        var text = new StringBuilder();
        var deltas = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Stream this, please.")], options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                deltas++;
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.True(deltas > 1, "The answer came in one piece instead of token by token.");
        Assert.Equal(whole.FinishReason, finish);
        Assert.Equal(whole.Usage.OutputTokenCount, usage!.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
    }

    [Fact]
    public async Task Chat_MaxTokens_StopsThereWithFinishReasonLength()
    {
        var prompt = TinyDecoder.Encode(TinyDecoder.ChatPrompt(("user", Endless())));

        var completion = (await models.Host.ChatClient("tiny-kv").CompleteChatAsync(
            [new UserChatMessage(Endless())], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 5 })).Value;

        Assert.Equal(TextOf(TinyDecoder.Continue(prompt, 5)), completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Chat_StopString_EndsTheAnswerBeforeIt()
    {
        var prompt = TinyDecoder.Encode(TinyDecoder.ChatPrompt(s_ends));
        var full = TextOf(TinyDecoder.Continue(prompt, 100));
        var stop = full.Substring(2, 2);
        var options = new ChatCompletionOptions { Temperature = 0 };
        options.StopSequences.Add(stop);

        var completion = (await models.Host.ChatClient("tiny-kv").CompleteChatAsync([new UserChatMessage(s_ends.Content)], options)).Value;

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task Chat_SampledWithSeed_RepeatsExactly()
    {
        var client = models.Host.ChatClient("tiny-kv");
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK.
        var options = new ChatCompletionOptions { Temperature = 2, TopP = 1, Seed = 42, MaxOutputTokenCount = 30 };
#pragma warning restore OPENAI001

        var first = (await client.CompleteChatAsync([new UserChatMessage("Roll the dice.")], options)).Value;
        var second = (await client.CompleteChatAsync([new UserChatMessage("Roll the dice.")], options)).Value;

        Assert.Equal(first.Content[0].Text, second.Content[0].Text);
    }

    [Fact]
    public async Task Completions_PromptWithoutTemplate_ContinuesTheRawText()
    {
        using var client = models.Host.CreateClient();
        var prompt = TinyDecoder.Encode("Once upon");

        using var response = await client.PostAsJsonAsync("/v1/completions", new { model = "tiny", prompt = "Once upon", max_tokens = 8, temperature = 0 });
        var body = JsonElement.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = TinyDecoder.Continue(prompt, 8);
        Assert.Equal(TextOf(expected), body.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal(prompt.Count, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_TokenIdsAndTwoChoices_ContinueTheIdsAsGivenAndCountThePromptOnce()
    {
        using var client = models.Host.CreateClient();
        int[] prompt = [72, 105, 33];

        using var response = await client.PostAsJsonAsync("/v1/completions", new { model = "tiny", prompt, max_tokens = 4, temperature = 0, n = 2 });
        var body = JsonElement.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = TextOf(TinyDecoder.Continue(prompt, 4));
        Assert.All(body.GetProperty("choices").EnumerateArray(), c => Assert.Equal(expected, c.GetProperty("text").GetString()));
        Assert.Equal(prompt.Length, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(8, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("\"\"", "empty")]
    [InlineData("[999999]", "vocabulary")]
    public async Task Completions_PromptTheModelCannotRead_Is400NamingThePrompt(string prompt, string why)
    {
        using var client = models.Host.CreateClient();

        using var response = await client.PostAsync(new Uri("/v1/completions", UriKind.Relative),
            new StringContent($$"""{"model":"tiny","prompt":{{prompt}}}""", Encoding.UTF8, "application/json"));
        var error = JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("prompt", error.GetProperty("param").GetString());
        Assert.Contains(why, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_PromptBeyondTheContext_Is400ContextLengthExceeded()
    {
        using var client = models.Host.CreateClient();

        using var response = await client.PostAsJsonAsync("/v1/chat/completions",
            new { model = "tiny-kv", messages = new[] { new { role = "user", content = new string('x', 600) } } });
        var error = JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("maximum context length is 512 tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_EmbeddingModel_Is400NamingTheModel()
    {
        var exception = await Assert.ThrowsAsync<ClientResultException>(() =>
            models.Host.ChatClient("tiny-embed").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(400, exception.Status);
        Assert.Contains("embedding model", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AfterAGeneration_CountTokensAndTimeToFirstToken()
    {
        var before = await models.Host.MetricAsync("vllm:generation_tokens_total");
        var ttftBefore = await models.Host.MetricAsync("vllm:time_to_first_token_seconds_count");

        await models.Host.ChatClient("tiny-kv").CompleteChatAsync([new UserChatMessage(Endless())],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 4 });

        Assert.Equal(before + 4, await models.Host.MetricAsync("vllm:generation_tokens_total"));
        Assert.Equal(ttftBefore + 1, await models.Host.MetricAsync("vllm:time_to_first_token_seconds_count"));
    }

    /// <summary>The answer's text: its tokens are ASCII letters, the end-of-sequence token writes nothing.</summary>
    internal static string TextOf(IEnumerable<int> tokens) => new([.. tokens.Where(t => t < 128).Select(t => (char)t)]);

    /// <summary>A user message whose prompt sum leaves remainder 11, the rule's fixed point: 'l' for ever, never the end of sequence.</summary>
    internal static string Endless() => MessageWithRemainder(11);

    /// <summary>
    /// A user message whose prompt sum leaves remainder 14: each token takes remainder j to 2j + 16 (mod 27), so the answer
    /// is "orxif" (14, 17, 23, 8, 5) and then the end-of-sequence token (26).
    /// </summary>
    private static string Ending() => MessageWithRemainder(14);

    private static string MessageWithRemainder(int remainder)
    {
        var text = "Hello";
        while (TinyDecoder.Encode(TinyDecoder.ChatPrompt(("user", text))).Sum() % 27 != remainder)
        {
            text += "!";
        }

        return text;
    }
}
