using System.Buffers;

namespace AiPlatform.Gateway.Buffers;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one array rented from a pool (<see cref="ArrayPool{T}.Shared"/> unless its
/// owner keeps one of its own), grown by renting a larger one, returned on <see cref="Dispose"/>: scratch space for work
/// done on every request, which <see cref="ArrayBufferWriter{T}"/> would allocate anew each time (and, past 85 KB, on the
/// large object heap, which only a full collection frees). Not thread-safe; owned by one caller at a time.
/// </summary>
internal sealed class PooledBufferWriter(int initialCapacity, ArrayPool<byte> pool) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = pool.Rent(initialCapacity);

    public int WrittenCount { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, WrittenCount);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, WrittenCount);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - WrittenCount);
        WrittenCount += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(WrittenCount);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(WrittenCount);
    }

    /// <summary>Forgets what was written after the first <paramref name="length"/> bytes, so they can be written again.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, WrittenCount);
        WrittenCount = length;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            pool.Return(_buffer);
            _buffer = [];
            WrittenCount = 0;
        }
    }

    private void Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - WrittenCount >= needed)
        {
            return;
        }

        var larger = pool.Rent(Math.Max(_buffer.Length * 2, WrittenCount + needed));
        WrittenSpan.CopyTo(larger);
        pool.Return(_buffer);
        _buffer = larger;
    }
}
