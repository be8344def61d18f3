using System.Buffers;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Streaming;

/// <summary>
/// Relays an upstream SSE body to the client event by event: each read is scanned for complete events,
/// the passing ones are written and flushed at once, so the first token reaches the client while the model
/// is still generating. The usage chunk is read on the way (and dropped when the client did not ask for it).
/// </summary>
internal static class SseRelay
{
    private const int InitialBufferSize = 16 * 1024;
    private const int MaxEventBytes = 8 * 1024 * 1024;

    /// <summary>
    /// What the relay passed on: the usage the upstream reported, whether <c>[DONE]</c> came, the content events relayed,
    /// and the exception that stopped it before the upstream ended, if one did.
    /// </summary>
    public readonly record struct Result(TokenUsage? Usage, bool SawDone, int DataEvents, Exception? Failure);

    /// <summary>
    /// Copies until the upstream ends, or until reading or writing fails: then the failure comes back with what was
    /// relayed until then (a cut stream is charged for what it delivered), and the caller tells an upstream failure from
    /// a client that left. <paramref name="beforeRead"/> runs before every read (it re-arms the idle timeout);
    /// <paramref name="onFirstFlush"/> runs once, when the first bytes have been flushed.
    /// </summary>
    public static async Task<Result> RelayAsync(
        Stream upstream, HttpResponse response, bool hideUsageChunk, IResponseCapture? capture, Action beforeRead, Action onFirstFlush,
        CancellationToken cancellationToken)
    {
        var scanner = new SseEventScanner(hideUsageChunk, capture);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        var filled = 0;
        var flushed = false;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    buffer = GrowForLongEvent(buffer, filled);
                }

                beforeRead();
                var read = await upstream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    return new Result(scanner.Usage, scanner.SawDone, scanner.DataEvents, Failure: null);
                }

                filled += read;
                while (true)
                {
                    // Until the first bytes are out, one event at a time: the client's first token does not wait for the
                    // rest of the read (a fast upstream sends a whole answer at once) nor for what capturing it costs.
                    var firstLength = 0;
                    var firstOnly = !flushed && SseEventScanner.TryFindEventEnd(buffer.AsSpan(0, filled), out firstLength);
                    var consumed = scanner.Scan(buffer.AsSpan(0, firstOnly ? firstLength : filled), response.BodyWriter);
                    if (consumed == 0)
                    {
                        break;
                    }

                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                    await response.BodyWriter.FlushAsync(cancellationToken);
                    if (!flushed)
                    {
                        flushed = true;
                        onFirstFlush();
                    }

                    if (!firstOnly)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception ex)
        {
            return new Result(scanner.Usage, scanner.SawDone, scanner.DataEvents, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] GrowForLongEvent(byte[] buffer, int filled)
    {
        if (buffer.Length >= MaxEventBytes)
        {
            throw new InvalidDataException($"An upstream SSE event exceeds {MaxEventBytes} bytes.");
        }

        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, filled).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
