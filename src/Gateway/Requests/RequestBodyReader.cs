using System.Buffers;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Requests;

/// <summary>
/// Reads a request body into a pooled buffer, refusing it with 413 as soon as it is known to exceed the limit:
/// from <c>Content-Length</c> before reading anything, or while reading a chunked body.
/// </summary>
public static class RequestBodyReader
{
    private const int InitialBufferSize = 4096;

    public static async ValueTask<(PooledBody? Body, ApiError? Error)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared > limit)
        {
            return (null, TooLarge(limit));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(declared is > 0 ? (int)declared.Value : InitialBufferSize);
        var length = 0;
        var reader = request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var sequence = result.Buffer;
                if (length + sequence.Length > limit)
                {
                    reader.AdvanceTo(sequence.End);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, TooLarge(limit));
                }

                if (length + sequence.Length > buffer.Length)
                {
                    buffer = Grow(buffer, length, (int)Math.Min(limit, Math.Max(buffer.Length * 2L, length + sequence.Length)));
                }

                sequence.CopyTo(buffer.AsSpan(length));
                length += (int)sequence.Length;
                reader.AdvanceTo(sequence.End);
                if (result.IsCompleted)
                {
                    return (new PooledBody(buffer, length), null);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static byte[] Grow(byte[] buffer, int used, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private static ApiError TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge,
            $"The request body is larger than the limit of {limit} bytes.",
            ApiErrorTypes.InvalidRequest, "request_too_large");
}
