using System.Buffers;

namespace AiPlatform.Gateway.Requests;

/// <summary>
/// A request body held in a buffer rented from <see cref="ArrayPool{T}.Shared"/>, returned when the request ends
/// (registered with <c>HttpResponse.RegisterForDispose</c>). Not thread-safe; owned by one request.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    internal PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PooledBody))).AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Memory.Span;

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            Length = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
