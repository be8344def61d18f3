using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Requests;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Caching;

/// <summary>Keeps the answer of a cache miss as it passes, in the non-streamed form the cache stores.</summary>
public sealed class CacheCapture(InferenceOperation operation, bool stream, int maxBytes) : IResponseCapture
{
    private readonly StreamAssembler? _assembler = stream ? new StreamAssembler(operation) : null;
    private byte[]? _json;
    private long _streamedBytes;

    public void OnJsonBody(ReadOnlySpan<byte> body)
    {
        if (body.Length <= maxBytes)
        {
            _json = body.ToArray();
        }
    }

    public void OnStreamData(ReadOnlySpan<byte> data)
    {
        _streamedBytes += data.Length;
        // Once the answer cannot be cached, its remaining chunks are not worth parsing.
        if (_streamedBytes <= maxBytes && _assembler is { Cacheable: true })
        {
            _assembler.Add(data);
        }
    }

    /// <summary>Error answers are never cached.</summary>
    public void OnErrorAnswer(ReadOnlySpan<byte> body)
    {
    }

    /// <summary>Error answers are never cached.</summary>
    public void OnErrorAnswer(ApiError error)
    {
    }

    /// <summary>The answer to store, or null when it is incomplete, too large or not cacheable.</summary>
    public byte[]? Result()
    {
        if (_assembler is null)
        {
            return _json;
        }

        return _streamedBytes <= maxBytes ? _assembler.Build() : null;
    }
}
