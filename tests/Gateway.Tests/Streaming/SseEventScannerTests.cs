using System.Buffers;
using System.Text;
using AiPlatform.Gateway.Streaming;

namespace AiPlatform.Gateway.Tests.Streaming;

public sealed class SseEventScannerTests
{
    private const string Content = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n";
    private const string UsageChunk = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n";
    private const string Done = "data: [DONE]\n\n";

    [Fact]
    public void Scan_UsageChunkHidden_PassesEverythingElseAndReadsUsage()
    {
        var scanner = new SseEventScanner(hideUsageChunk: true);
        var output = new ArrayBufferWriter<byte>();

        var consumed = scanner.Scan(Encoding.UTF8.GetBytes(Content + UsageChunk + Done), output);

        Assert.Equal(Content.Length + UsageChunk.Length + Done.Length, consumed);
        Assert.Equal(Content + Done, Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(new(5, 2, 7), scanner.Usage);
        Assert.True(scanner.SawDone);
        Assert.Equal(1, scanner.DataEvents);
    }

    [Fact]
    public void Scan_UsageChunkAskedFor_PassesIt()
    {
        var scanner = new SseEventScanner(hideUsageChunk: false);
        var output = new ArrayBufferWriter<byte>();

        scanner.Scan(Encoding.UTF8.GetBytes(Content + UsageChunk + Done), output);

        Assert.Equal(Content + UsageChunk + Done, Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(7, scanner.Usage?.TotalTokens);
    }

    [Fact]
    public void Scan_EventSplitAcrossReads_WaitsForItsEnd()
    {
        var scanner = new SseEventScanner(hideUsageChunk: true);
        var output = new ArrayBufferWriter<byte>();
        var bytes = Encoding.UTF8.GetBytes(Content + UsageChunk);
        var split = Content.Length + 20;

        var first = scanner.Scan(bytes.AsSpan(0, split), output);
        Assert.Equal(Content.Length, first);
        Assert.Null(scanner.Usage);

        var second = scanner.Scan(bytes.AsSpan(first), output);
        Assert.Equal(UsageChunk.Length, second);
        Assert.Equal(Content, Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(2, scanner.Usage?.CompletionTokens);
    }

    [Fact]
    public void Scan_CrLfEvents_AreRecognised()
    {
        var scanner = new SseEventScanner(hideUsageChunk: true);
        var output = new ArrayBufferWriter<byte>();
        var text = Content.Replace("\n", "\r\n") + UsageChunk.Replace("\n", "\r\n") + Done.Replace("\n", "\r\n");

        scanner.Scan(Encoding.UTF8.GetBytes(text), output);

        Assert.Equal(Content.Replace("\n", "\r\n") + Done.Replace("\n", "\r\n"), Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.True(scanner.SawDone);
    }

    [Fact]
    public void Scan_ContentMentioningUsage_IsNotMistakenForTheUsageChunk()
    {
        var scanner = new SseEventScanner(hideUsageChunk: true);
        var output = new ArrayBufferWriter<byte>();
        const string tricky = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\\"usage\\\": {\"}}]}\n\n";

        scanner.Scan(Encoding.UTF8.GetBytes(tricky), output);

        Assert.Equal(tricky, Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Null(scanner.Usage);
    }
}
