using System.Net;
using System.Text;
using System.Text.Json;
using AiPlatform.InferenceWorker.Engines.Simulator;
using AiPlatform.InferenceWorker.Tests.Support;

namespace AiPlatform.InferenceWorker.Tests.Api;

public sealed class CompletionsTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task Completions_StringPrompt_TextCompletionWithUsage()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/completions", new { model = "sim", prompt = "Once upon a time", max_tokens = 6 });
        var body = await Sse.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.Equal("simulator", body.GetProperty("system_fingerprint").GetString());
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(6, SimulatorTokenizer.Count(choice.GetProperty("text").GetString()));
        Assert.Equal(4, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(6, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_TwoPromptsNTwo_FourChoicesPromptMajor()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/completions", new { model = "sim", prompt = new[] { "one", "two" }, n = 2 });
        var single = await Sse.PostAsync(client, "/v1/completions", new { model = "sim", prompt = "two" });
        var body = await Sse.JsonAsync(response);

        var choices = body.GetProperty("choices");
        Assert.Equal(4, choices.GetArrayLength());
        Assert.Equal(
            (await Sse.JsonAsync(single)).GetProperty("choices")[0].GetProperty("text").GetString(),
            choices[2].GetProperty("text").GetString());
        Assert.Equal(2, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task CompletionsStream_Prompt_TextPiecesConcatenateToNonStreamedText()
    {
        using var client = fixture.Host.CreateClient();
        using var whole = await Sse.PostAsync(client, "/v1/completions", new { model = "sim", prompt = "Once upon a time" });
        var expected = (await Sse.JsonAsync(whole)).GetProperty("choices")[0].GetProperty("text").GetString();

        using var streamed = await Sse.PostAsync(client, "/v1/completions", new
        {
            model = "sim",
            prompt = "Once upon a time",
            stream = true,
            stream_options = new { include_usage = true },
        });
        var events = await Sse.ReadDataAsync(streamed);

        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        var text = new StringBuilder();
        foreach (var chunk in chunks[..^1])
        {
            text.Append(chunk.GetProperty("choices")[0].GetProperty("text").GetString());
        }

        Assert.Equal(expected, text.ToString());
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(SimulatorTokenizer.Count(expected), chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(SimulatorTokenizer.Count(expected), chunks.Count - 2);
    }
}
