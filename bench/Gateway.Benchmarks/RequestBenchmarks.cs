using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Requests;
using BenchmarkDotNet.Attributes;

namespace AiPlatform.Gateway.Benchmarks;

// BenchmarkDotNet derives its generated runner from each benchmark class, so they cannot be sealed.

/// <summary>Step 3 of the request path: the body's one-pass validation (<see cref="InferenceRequestParser"/>).</summary>
[MemoryDiagnoser]
public class RequestValidationBenchmarks
{
    private readonly byte[] _chat = Fixtures.ChatRequest;
    private readonly byte[] _streaming = Fixtures.StreamingChatRequest;

    [Benchmark]
    public bool ParseChatRequest() => InferenceRequestParser.TryParse(_chat, InferenceOperation.ChatCompletions, out _, out _);

    [Benchmark]
    public bool ParseStreamingChatRequest() => InferenceRequestParser.TryParse(_streaming, InferenceOperation.ChatCompletions, out _, out _);
}

/// <summary>Step 5: the response cache's key, SHA-256 over the canonical JSON (or over a caller's <c>aig-cache-key</c>).</summary>
[MemoryDiagnoser]
public class CacheKeyBenchmarks
{
    private readonly byte[] _chat = Fixtures.ChatRequest;

    [Benchmark]
    public string CanonicalRequestKey() => CacheKey.For("key:bench-key", InferenceOperation.ChatCompletions, _chat, callerKey: null);

    [Benchmark]
    public string CallerSuppliedKey() => CacheKey.For("key:bench-key", InferenceOperation.ChatCompletions, _chat, "customer-42:faq-7");
}

/// <summary>Step 2: reading the Bearer key and hashing it for the lookup, on every request.</summary>
[MemoryDiagnoser]
public class VirtualKeyBenchmarks
{
    private const string Authorization = "Bearer sk-aig-bench0123456789abcdefghijklmnopqrstuvwxyz";

    [Benchmark]
    public string ReadAndHashBearerKey() =>
        VirtualKeys.TryReadBearer(Authorization, out var key) ? VirtualKeys.Hash(key) : "";
}
