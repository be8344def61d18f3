namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// Reads the client's body while keeping every byte read, so that what a parser looked at can still be forwarded
/// unchanged. Past <c>limit</c> bytes it reports the end of the body and sets <see cref="LimitReached"/>.
/// </summary>
internal sealed class RecordingStream(Stream inner, int limit) : AsyncReadOnlyStream
{
    private readonly MemoryStream _recorded = new();

    public bool LimitReached { get; private set; }

    /// <summary>Everything read so far.</summary>
    public ReadOnlyMemory<byte> Recorded => _recorded.GetBuffer().AsMemory(0, (int)_recorded.Length);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var room = limit - (int)_recorded.Length;
        if (room <= 0)
        {
            LimitReached = true;
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, room)], cancellationToken);
        _recorded.Write(buffer.Span[..read]);
        return read;
    }
}
