using System.Buffers;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Responses;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Streaming;

/// <summary>
/// Splits buffered SSE bytes into events (each ends with a blank line, RFC 8895 / WHATWG event-stream) and
/// decides for each one whether it passes to the client. Only events whose <c>data</c> carries a non-null
/// <c>usage</c> object are parsed; every other event is passed on by reference, without being decoded.
/// </summary>
internal struct SseEventScanner(bool hideUsageChunk, IResponseCapture? capture = null)
{
    private static ReadOnlySpan<byte> DataPrefix => "data:"u8;
    private static ReadOnlySpan<byte> Done => "[DONE]"u8;
    private static ReadOnlySpan<byte> UsageProperty => "\"usage\""u8;

    public TokenUsage? Usage { get; private set; }

    public bool SawDone { get; private set; }

    /// <summary>Content events seen (not counting the usage chunk and <c>[DONE]</c>).</summary>
    public int DataEvents { get; private set; }

    /// <summary>
    /// Scans complete events in <paramref name="buffer"/> and writes those that pass to <paramref name="output"/>,
    /// in runs as long as possible. Returns how many bytes were consumed (the rest is an incomplete event).
    /// </summary>
    public int Scan(ReadOnlySpan<byte> buffer, IBufferWriter<byte> output)
    {
        var consumed = 0;
        var pendingStart = 0;
        while (TryFindEventEnd(buffer[consumed..], out var length))
        {
            var sseEvent = buffer.Slice(consumed, length);
            if (!Inspect(sseEvent))
            {
                output.Write(buffer[pendingStart..consumed]);
                pendingStart = consumed + length;
            }

            consumed += length;
        }

        output.Write(buffer[pendingStart..consumed]);
        return consumed;
    }

    /// <summary>Returns false when the event must not reach the client.</summary>
    private bool Inspect(ReadOnlySpan<byte> sseEvent)
    {
        var data = DataOf(sseEvent);
        if (data.IsEmpty)
        {
            return true;
        }

        capture?.OnStreamData(data);

        if (data.SequenceEqual(Done))
        {
            SawDone = true;
            return true;
        }

        // A Responses API stream (from a target that serves it itself) ends with its completed event instead.
        if (data.StartsWith(ResponsesStreamEnd.EventStart) && ResponsesStreamEnd.TryRead(data, out var responsesUsage))
        {
            SawDone = true;
            Usage = responsesUsage ?? Usage;
            return true;
        }

        if (JsonMemberProbe.LastValueStartsWith(data, UsageProperty, (byte)'{') && UsageReader.TryRead(data, out var usage, out var emptyChoices))
        {
            Usage = usage;
            if (emptyChoices)
            {
                return !hideUsageChunk;
            }
        }

        DataEvents++;
        return true;
    }

    /// <summary>The length of the first complete event in <paramref name="buffer"/>, its blank line included.</summary>
    public static bool TryFindEventEnd(ReadOnlySpan<byte> buffer, out int length)
    {
        var lf = buffer.IndexOf("\n\n"u8);
        var crlf = buffer.IndexOf("\r\n\r\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            length = crlf + 4;
            return true;
        }

        length = lf + 2;
        return lf >= 0;
    }

    /// <summary>The payload of the event's first <c>data:</c> line, without the optional leading space.</summary>
    internal static ReadOnlySpan<byte> DataOf(ReadOnlySpan<byte> sseEvent)
    {
        while (!sseEvent.IsEmpty)
        {
            var end = sseEvent.IndexOf((byte)'\n');
            var line = end < 0 ? sseEvent : sseEvent[..end];
            if (line.StartsWith(DataPrefix))
            {
                var value = line[DataPrefix.Length..];
                if (!value.IsEmpty && value[0] == (byte)' ')
                {
                    value = value[1..];
                }

                return value.TrimEnd((byte)'\r');
            }

            sseEvent = end < 0 ? [] : sseEvent[(end + 1)..];
        }

        return [];
    }
}
