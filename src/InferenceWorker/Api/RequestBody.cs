using System.Buffers;
using System.IO.Pipelines;

namespace AiPlatform.InferenceWorker.Api;

/// <summary>
/// The whole request body, held in the server's own buffers rather than copied: parsed in place and, for the vLLM
/// engine, forwarded from the same memory. Kestrel's <c>MaxRequestBodySize</c> still applies while reading.
/// </summary>
/// <remarks>Dispose once the request is done with the body; the buffers go back to the server then.</remarks>
internal readonly struct RequestBody(PipeReader reader, ReadOnlySequence<byte> buffer) : IDisposable
{
    public ReadOnlySequence<byte> Buffer => buffer;

    public static async ValueTask<RequestBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                return new RequestBody(reader, result.Buffer);
            }

            // Nothing consumed, everything examined: the next read returns the same buffer grown by what arrived.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    public void Dispose()
    {
        try
        {
            reader.AdvanceTo(buffer.End);
        }
        catch (OperationCanceledException)
        {
            // The connection was aborted (a client that left, or a simulated drop): its buffers are gone already.
        }
    }
}
