using System.Buffers;
using System.Text.Unicode;

namespace AiPlatform.ServiceDefaults.Usage;

/// <summary>Payload texts cut to a number of UTF-16 characters, never between the two halves of a surrogate pair.</summary>
public static class PayloadText
{
    /// <summary>
    /// UTF-8 as text, decoding no more than <paramref name="maxChars"/> characters rather than the whole body first;
    /// invalid bytes become U+FFFD. <paramref name="truncated"/> when there was more.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> utf8, int maxChars, out bool truncated)
    {
        // A UTF-8 body never has more UTF-16 characters than bytes.
        var room = Math.Min(maxChars, utf8.Length);
        var buffer = ArrayPool<char>.Shared.Rent(room);
        try
        {
            // Stops before a character that does not fit whole, so a pair is never split.
            var status = Utf8.ToUtf16(utf8, buffer.AsSpan(0, room), out _, out var written);
            truncated = status == OperationStatus.DestinationTooSmall;
            return new string(buffer, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary><paramref name="text"/>, or its first <paramref name="maxChars"/> characters (one fewer where that would split a pair).</summary>
    public static string Cut(string text, int maxChars, out bool truncated)
    {
        truncated = text.Length > maxChars;
        if (!truncated)
        {
            return text;
        }

        return text[..(char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars)];
    }
}
