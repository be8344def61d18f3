using System.Buffers;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// GPT-2's reversible map between the 256 byte values and printable characters (openai/gpt-2 encoder.py
/// <c>bytes_to_unicode</c>, huggingface/tokenizers <c>bytes_char</c>), the alphabet byte-level BPE vocabularies are
/// written in: the space byte is 'Ġ', the newline 'Ċ', and printable Latin-1 bytes stand for themselves.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] s_byteToChar = BuildByteToChar();

    // Indexed by character; -1 for a character that is not one of the 256. The highest mapped character is U+0143.
    private static readonly short[] s_charToByte = BuildCharToByte();

    /// <summary>The byte-level spelling of <paramref name="text"/>'s UTF-8 bytes, one character per byte.</summary>
    public static string Encode(ReadOnlySpan<char> text)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var bytes = maxBytes <= 512 ? stackalloc byte[maxBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var count = Encoding.UTF8.GetBytes(text, bytes);
            return string.Create(count, bytes[..count], static (chars, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    chars[i] = s_byteToChar[source[i]];
                }
            });
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The byte a character of the alphabet stands for; false for any other character.</summary>
    public static bool TryGetByte(char c, out byte value)
    {
        if (c < s_charToByte.Length && s_charToByte[c] >= 0)
        {
            value = (byte)s_charToByte[c];
            return true;
        }

        value = 0;
        return false;
    }

    private static char[] BuildByteToChar()
    {
        // Printable bytes keep their own code point; the others (controls, space, DEL, NBSP, soft hyphen) take
        // U+0100, U+0101… in byte order, so that no vocabulary entry contains whitespace or a control character.
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }

    private static short[] BuildCharToByte()
    {
        var map = new short[0x144];
        Array.Fill(map, (short)-1);
        for (var b = 0; b < 256; b++)
        {
            map[s_byteToChar[b]] = (short)b;
        }

        return map;
    }
}
