using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace AiPlatform.InferenceWorker.Engines.Vllm;

/// <summary>A JSON request body sent upstream from the buffers it was received in, segment by segment, without a copy.</summary>
internal sealed class SequenceContent : HttpContent
{
    private readonly ReadOnlySequence<byte> _body;

    public SequenceContent(ReadOnlySequence<byte> body)
    {
        _body = body;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        foreach (var segment in _body)
        {
            await stream.WriteAsync(segment, cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
