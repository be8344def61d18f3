using System.Buffers;
using AiPlatform.Gateway.Buffers;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// The memory usage batch bodies are written into, reused from batch to batch. Every body starts in a buffer of a full
/// batch's size, so that one size serves batches cut by size and by time alike, and no more buffers are kept than
/// batches can be in flight at once; a body that outgrows its buffer (large metadata or logged payloads) gets memory of
/// its own, not kept. <see cref="ArrayPool{T}.Shared"/>, used before, kept idle buffers of every size a batch had
/// needed, per core and per thread: 21 MB of 0.5–2 MiB arrays in a Gateway after the benchmark's runs (dotnet-dump).
/// Thread-safe.
/// </summary>
internal sealed class UsageBodyBuffers
{
    /// <summary>A usage event's JSON is about this size without a payload.</summary>
    public const int BytesPerEvent = 768;

    private readonly int _bodyBytes;
    private readonly ArrayPool<byte> _pool;

    public UsageBodyBuffers(int batchSize, int kept)
    {
        _bodyBytes = batchSize * BytesPerEvent;
        _pool = ArrayPool<byte>.Create(_bodyBytes, kept);
    }

    /// <summary>A writer over a kept buffer (or a new one when all are in use); disposing it gives the buffer back.</summary>
    public PooledBufferWriter Rent() => new(_bodyBytes, _pool);
}
