using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Tests.Forwarding;

public sealed class UpstreamBodyTests
{
    private static (UpstreamBody Body, JsonElement Json) Create(string json, string upstreamModel)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(InferenceRequestParser.TryParse(bytes, InferenceOperation.ChatCompletions, out var request, out _));
        var body = UpstreamBody.Create(bytes, request, upstreamModel);
        using var document = JsonDocument.Parse(body.Content);
        return (body, document.RootElement.Clone());
    }

    [Fact]
    public void Create_SameModelNotStreamed_SendsClientBytesUnchanged()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"model":"sim","messages":[{"role":"user","content":"hi"}]}""");
        Assert.True(InferenceRequestParser.TryParse(bytes, InferenceOperation.ChatCompletions, out var request, out _));

        using var body = UpstreamBody.Create(bytes, request, "sim");

        Assert.True(body.Content.Span.SequenceEqual(bytes));
    }

    [Fact]
    public void Create_OtherUpstreamModel_RenamesOnlyTheModel()
    {
        var (body, json) = Create("""{ "temperature": 0.5, "model" : "fast", "messages":[{"role":"user","content":"model"}]}""", "llama-3.1-8b\"x");
        using var _ = body;

        Assert.Equal("llama-3.1-8b\"x", json.GetProperty("model").GetString());
        Assert.Equal(0.5, json.GetProperty("temperature").GetDouble());
        Assert.Equal("model", json.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public void Create_StreamWithoutOptions_AsksForUsage()
    {
        var (body, json) = Create("""{"model":"sim","stream":true,"messages":[{"role":"user","content":"hi"}]}""", "sim");
        using var _ = body;

        Assert.True(json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.True(json.GetProperty("stream").GetBoolean());
    }

    [Theory]
    [InlineData("""{"input":"hi"}""")]
    [InlineData(" {\n  \"input\" : [\"a\", \"b\"] } ")]
    public void Create_ModerationWithoutModel_InsertsTheUpstreamModel(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(InferenceRequestParser.TryParse(bytes, InferenceOperation.Moderations, "guard", out var request, out _));

        using var body = UpstreamBody.Create(bytes, request, "llama-guard-3");
        using var document = JsonDocument.Parse(body.Content);

        Assert.Equal("llama-guard-3", document.RootElement.GetProperty("model").GetString());
        Assert.Equal(JsonDocument.Parse(json).RootElement.GetProperty("input").GetRawText(), document.RootElement.GetProperty("input").GetRawText());
    }

    [Fact]
    public void Create_ModerationWithoutModelSameNameUpstream_StillNamesIt()
    {
        var bytes = """{"input":"hi"}"""u8.ToArray();
        Assert.True(InferenceRequestParser.TryParse(bytes, InferenceOperation.Moderations, "omni-moderation-latest", out var request, out _));

        using var body = UpstreamBody.Create(bytes, request, "omni-moderation-latest");

        Assert.Equal("""{"model":"omni-moderation-latest","input":"hi"}""", Encoding.UTF8.GetString(body.Content.Span));
    }

    [Fact]
    public void Create_StreamWithUsageOff_TurnsItOnAndRenames()
    {
        var (body, json) = Create("""{"stream_options":{"include_usage":false},"model":"sim","stream":true,"messages":[{"role":"user","content":"hi"}]}""", "other");
        using var _ = body;

        Assert.True(json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("other", json.GetProperty("model").GetString());
    }
}
