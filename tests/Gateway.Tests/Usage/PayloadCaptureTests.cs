using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Usage;

namespace AiPlatform.Gateway.Tests.Usage;

/// <summary>What the payload log keeps of a request and its answer, and where it cuts them.</summary>
public sealed class PayloadCaptureTests
{
    private const string Emoji = "\U0001F600";

    private static readonly byte[] s_request = """{"model":"sim","messages":[{"role":"user","content":"hi"}]}"""u8.ToArray();

    private static string Chunk(string content, string? finish = null) =>
        JsonSerializer.Serialize(new
        {
            id = "c1",
            @object = "chat.completion.chunk",
            created = 1,
            model = "sim",
            choices = new[] { new { index = 0, delta = new { content }, finish_reason = finish } },
        });

    [Fact]
    public void Decode_CapFallsInsideASurrogatePair_CutBeforeThePair()
    {
        var text = "abc" + Emoji + "def";

        var decoded = PayloadText.Decode(Encoding.UTF8.GetBytes(text), maxChars: 4, out var truncated);

        Assert.Equal("abc", decoded);
        Assert.True(truncated);
    }

    [Fact]
    public void Decode_TextWithinTheCap_WholeAndNotTruncated()
    {
        var text = "été " + Emoji;

        var decoded = PayloadText.Decode(Encoding.UTF8.GetBytes(text), maxChars: text.Length, out var truncated);

        Assert.Equal(text, decoded);
        Assert.False(truncated);
    }

    [Fact]
    public void Decode_InvalidUtf8_ReplacementCharacters()
    {
        var decoded = PayloadText.Decode([(byte)'a', 0xFF, (byte)'b'], maxChars: 100, out _);

        Assert.Equal("a\uFFFDb", decoded);
    }

    [Theory]
    [InlineData(5, "ab" + Emoji + "c", false)]
    [InlineData(4, "ab" + Emoji, true)]
    [InlineData(3, "ab", true)]
    public void Cut_AtTheCap_NeverSplitsAPair(int maxChars, string expected, bool truncated)
    {
        var cut = PayloadText.Cut("ab" + Emoji + "c", maxChars, out var wasCut);

        Assert.Equal(expected, cut);
        Assert.Equal(truncated, wasCut);
    }

    [Fact]
    public void Complete_NonStreamedChat_RequestBodyAndAssistantMessage()
    {
        var capture = new PayloadCapture(InferenceOperation.ChatCompletions, stream: false, maxChars: 1000);

        capture.OnJsonBody("""{"choices":[{"index":0,"message":{"role":"assistant","content":"Hello there."},"finish_reason":"stop"}]}"""u8);
        var payload = capture.Complete(s_request);

        Assert.Equal(new UsagePayload(Encoding.UTF8.GetString(s_request), "Hello there.", Truncated: false), payload);
    }

    [Fact]
    public void Complete_StreamedChat_DeltasConcatenated()
    {
        var capture = new PayloadCapture(InferenceOperation.ChatCompletions, stream: true, maxChars: 1000);

        foreach (var data in new[] { Chunk("Hel"), Chunk("lo"), Chunk("!", "stop"), "[DONE]" })
        {
            capture.OnStreamData(Encoding.UTF8.GetBytes(data));
        }

        Assert.Equal("Hello!", capture.Complete(s_request).Response);
    }

    [Fact]
    public void Complete_StreamedChatWithLogprobs_TextStillAssembled()
    {
        // Not cacheable, but its text is the answer all the same.
        var capture = new PayloadCapture(InferenceOperation.ChatCompletions, stream: true, maxChars: 1000);

        capture.OnStreamData("""{"choices":[{"index":0,"delta":{"content":"a"},"logprobs":{"content":[]},"finish_reason":null}]}"""u8);
        capture.OnStreamData("""{"choices":[{"index":0,"delta":{"content":"b"},"logprobs":{"content":[]},"finish_reason":"stop"}]}"""u8);

        Assert.Equal("ab", capture.Complete(s_request).Response);
    }

    [Fact]
    public void Complete_StreamLongerThanTheCap_CutAndMarkedTruncated()
    {
        var capture = new PayloadCapture(InferenceOperation.ChatCompletions, stream: true, maxChars: 16);

        for (var i = 0; i < 100; i++)
        {
            capture.OnStreamData(Encoding.UTF8.GetBytes(Chunk("word ")));
        }

        var payload = capture.Complete(s_request);

        Assert.Equal(16, payload.Response!.Length);
        Assert.True(payload.Truncated);
    }

    [Fact]
    public void Complete_Completion_TheText()
    {
        var capture = new PayloadCapture(InferenceOperation.Completions, stream: false, maxChars: 1000);

        capture.OnJsonBody("""{"choices":[{"index":0,"text":"once upon a time","finish_reason":"length"}]}"""u8);

        Assert.Equal("once upon a time", capture.Complete("""{"model":"sim","prompt":"tell"}"""u8).Response);
    }

    [Fact]
    public void Complete_Embeddings_NoResponseText()
    {
        var capture = new PayloadCapture(InferenceOperation.Embeddings, stream: false, maxChars: 1000);

        capture.OnJsonBody("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}]}"""u8);

        Assert.Null(capture.Complete("""{"model":"sim","input":"x"}"""u8).Response);
    }

    [Fact]
    public void Complete_UpstreamErrorPassedOn_ItsBody()
    {
        var capture = new PayloadCapture(InferenceOperation.ChatCompletions, stream: true, maxChars: 1000);
        const string error = """{"error":{"message":"nope","type":"invalid_request_error","param":null,"code":"bad"}}""";

        capture.OnErrorAnswer(Encoding.UTF8.GetBytes(error));

        Assert.Equal(error, capture.Complete(s_request).Response);
    }

    [Fact]
    public void Complete_GatewayError_TheErrorAsTheClientGotIt()
    {
        var capture = new PayloadCapture(InferenceOperation.ChatCompletions, stream: false, maxChars: 1000);

        capture.OnErrorAnswer(new ApiError(502, "No model backend for 'sim' could be reached.", ApiErrorTypes.Server, "upstream_unreachable"));
        using var response = JsonDocument.Parse(capture.Complete(s_request).Response!);

        Assert.Equal("upstream_unreachable", response.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void Complete_NoAnswer_ResponseNull()
    {
        var capture = new PayloadCapture(InferenceOperation.ChatCompletions, stream: true, maxChars: 1000);

        var payload = capture.Complete(s_request);

        Assert.Null(payload.Response);
        Assert.False(payload.Truncated);
    }

    [Fact]
    public void Complete_RequestLongerThanTheCap_CutAndMarkedTruncated()
    {
        var capture = new PayloadCapture(InferenceOperation.ChatCompletions, stream: false, maxChars: 20);
        capture.OnJsonBody("""{"choices":[{"index":0,"message":{"role":"assistant","content":"ok"}}]}"""u8);

        var payload = capture.Complete(s_request);

        Assert.Equal(Encoding.UTF8.GetString(s_request)[..20], payload.Request);
        Assert.Equal("ok", payload.Response);
        Assert.True(payload.Truncated);
    }
}
