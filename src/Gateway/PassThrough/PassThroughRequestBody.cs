namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// The body forwarded upstream: the bytes already read to find the model, then the rest of the client's body as it
/// arrives, unchanged; counts what was sent for the ledger. A form whose model was read from it is watched for a second
/// <c>model</c> field, which fails the read (and so the upstream request) before the provider has the whole form.
/// </summary>
internal sealed class PassThroughRequestBody(ReadOnlyMemory<byte> readAhead, Stream rest, bool watchFormModel) : AsyncReadOnlyStream
{
    private readonly FormModelFields? _modelFields = watchFormModel ? new FormModelFields() : null;
    private ReadOnlyMemory<byte> _readAhead = readAhead;

    public long BytesRead { get; private set; }

    /// <summary>The form named its model more than once; the read failed and the request must be refused.</summary>
    public bool ModelNamedTwice => _modelFields?.Count > 1;

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
        _modelFields?.Scan(buffer.Span[..read]);
        if (ModelNamedTwice)
        {
            throw new IOException("The form names its model more than once.");
        }

        return read;
    }
}
