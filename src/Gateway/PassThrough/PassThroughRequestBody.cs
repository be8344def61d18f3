namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// The body forwarded upstream: the bytes already read to find the model, then the rest of the client's body as it
/// arrives, unchanged; counts what was sent for the ledger.
/// </summary>
internal sealed class PassThroughRequestBody(ReadOnlyMemory<byte> readAhead, Stream rest) : AsyncReadOnlyStream
{
    private ReadOnlyMemory<byte> _readAhead = readAhead;

    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        if (!_readAhead.IsEmpty)
        {
            read = Math.Min(buffer.Length, _readAhead.Length);
            _readAhead[..read].CopyTo(buffer);
            _readAhead = _readAhead[read..];
        }
        else
        {
            read = await rest.ReadAsync(buffer, cancellationToken);
        }

        BytesRead += read;
        return read;
    }
}
