using System.Buffers;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Streaming;
using AiPlatform.Gateway.Usage;
using BenchmarkDotNet.Attributes;

namespace AiPlatform.Gateway.Benchmarks;

/// <summary>Step 6: the body sent upstream, patched in place of re-serialised (<see cref="UpstreamBody"/>).</summary>
[MemoryDiagnoser]
public class UpstreamBodyBenchmarks
{
    private readonly byte[] _chat = Fixtures.ChatRequest;
    private readonly byte[] _streaming = Fixtures.StreamingChatRequest;
    private InferenceRequest _chatRequest = null!;
    private InferenceRequest _streamingRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _chatRequest = Parse(_chat);
        _streamingRequest = Parse(_streaming);
    }

    /// <summary>Same model name upstream, not streamed: the client's buffer goes as it is.</summary>
    [Benchmark]
    public int Unchanged()
    {
        using var body = UpstreamBody.Create(_chat, _chatRequest, "bench");
        return body.Content.Length;
    }

    /// <summary>The target names the model differently (the simulator's <c>sim</c>).</summary>
    [Benchmark]
    public int ModelRenamed()
    {
        using var body = UpstreamBody.Create(_chat, _chatRequest, "sim");
        return body.Content.Length;
    }

    /// <summary>Streamed without <c>stream_options</c>: the Gateway asks for the usage chunk.</summary>
    [Benchmark]
    public int UsageChunkRequested()
    {
        using var body = UpstreamBody.Create(_streaming, _streamingRequest, "bench");
        return body.Content.Length;
    }

    private static InferenceRequest Parse(byte[] body) =>
        InferenceRequestParser.TryParse(body, InferenceOperation.ChatCompletions, out var request, out var error)
            ? request
            : throw new InvalidOperationException(error.Message);
}

/// <summary>
/// The streamed answer's way through the relay (<see cref="SseEventScanner"/>: events split, the usage chunk read and
/// hidden), the same with the cache capturing it on a MISS, and a cached answer replayed as SSE on a HIT.
/// </summary>
[MemoryDiagnoser]
public class StreamingBenchmarks
{
    private readonly byte[] _stream = Fixtures.ChatCompletionStream;
    private readonly byte[] _answer = Fixtures.ChatCompletion;
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);

    [Benchmark]
    public int ScanStreamHidingUsage()
    {
        _output.ResetWrittenCount();
        var scanner = new SseEventScanner(hideUsageChunk: true);
        return scanner.Scan(_stream, _output);
    }

    [Benchmark]
    public int ScanStreamCapturingForCache()
    {
        _output.ResetWrittenCount();
        var capture = new CacheCapture(InferenceOperation.ChatCompletions, stream: true, maxBytes: 1024 * 1024);
        var scanner = new SseEventScanner(hideUsageChunk: true, capture);
        var consumed = scanner.Scan(_stream, _output);
        return consumed + (capture.Result()?.Length ?? 0);
    }

    [Benchmark]
    public int ReplayCachedAnswerAsSse()
    {
        _output.ResetWrittenCount();
        SseReplay.Write(_output, _answer, InferenceOperation.ChatCompletions, includeUsage: true);
        return _output.WrittenCount;
    }
}

/// <summary>Token usage read from a JSON answer and from a stream's usage chunk (<see cref="UsageReader"/>).</summary>
[MemoryDiagnoser]
public class UsageBenchmarks
{
    private readonly byte[] _answer = Fixtures.ChatCompletion;
    private readonly byte[] _usageChunk = Fixtures.UsageChunkData;

    [Benchmark]
    public int ReadUsageOfAnswer() => UsageReader.TryRead(_answer, out var usage, out _) ? usage.TotalTokens : -1;

    [Benchmark]
    public int ReadUsageOfChunk() => UsageReader.TryRead(_usageChunk, out var usage, out _) ? usage.TotalTokens : -1;
}
