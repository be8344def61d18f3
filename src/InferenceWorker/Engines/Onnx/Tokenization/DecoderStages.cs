using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// One step of a tokenizer.json <c>decoder</c>, rewritten to take tokens one at a time so that text can stream; a
/// whole decode pushes every token through the same steps, so streamed and whole results are the same by construction.
/// </summary>
/// <remarks>
/// Hugging Face's steps map a list of token strings to a new list. Before the first step that fuses the list into
/// one string (<c>Fuse</c>, <c>ByteLevel</c>) each <see cref="Write"/> here is one whole token with
/// <c>newToken</c> true; after it, writes are successive chunks of the single fused string, <c>newToken</c> true
/// for the first only. A decoder is used by one sequence at a time.
/// </remarks>
internal abstract class DecoderStage(DecoderStage? next)
{
    protected DecoderStage Next => next ?? throw new InvalidOperationException("The text sink has no next stage.");

    public abstract void Write(ReadOnlySpan<char> text, bool newToken);

    /// <summary>The sequence has ended: emit whatever was held back.</summary>
    public virtual void Flush() => Next.Flush();
}

/// <summary>The end of the chain: collects the text until it is taken.</summary>
internal sealed class TextSink() : DecoderStage(null)
{
    private readonly StringBuilder _text = new();

    public override void Write(ReadOnlySpan<char> text, bool newToken) => _text.Append(text);

    public override void Flush()
    {
    }

    public string Take()
    {
        if (_text.Length == 0)
        {
            return "";
        }

        var text = _text.ToString();
        _text.Clear();
        return text;
    }
}

/// <summary>
/// <c>ByteLevel</c>: each token's characters back to bytes (a token with any character outside the alphabet, such as
/// an added token with a real space, as its own UTF-8), all bytes then read as UTF-8 with U+FFFD for invalid
/// sequences (Rust's <c>from_utf8_lossy</c>, whose replacement rule .NET's decoder shares). A character split over
/// tokens stays in the decoder until its last byte arrives.
/// </summary>
internal sealed class ByteLevelStage(DecoderStage next) : DecoderStage(next)
{
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private byte[] _bytes = new byte[64];
    private char[] _chars = new char[64];
    private bool _started;

    public override void Write(ReadOnlySpan<char> text, bool newToken)
    {
        Grow(ref _bytes, Encoding.UTF8.GetMaxByteCount(text.Length));
        var count = 0;
        foreach (var c in text)
        {
            if (!ByteLevelAlphabet.TryGetByte(c, out _bytes[count++]))
            {
                count = Encoding.UTF8.GetBytes(text, _bytes);
                break;
            }
        }

        Emit(_bytes.AsSpan(0, count), flush: false);
    }

    public override void Flush()
    {
        Emit([], flush: true);
        Next.Flush();
    }

    private void Emit(ReadOnlySpan<byte> bytes, bool flush)
    {
        Grow(ref _chars, Encoding.UTF8.GetMaxCharCount(bytes.Length + 4));
        var written = _utf8.GetChars(bytes, _chars, flush);
        if (written > 0)
        {
            Next.Write(_chars.AsSpan(0, written), !_started);
            _started = true;
        }
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }
}

/// <summary>
/// <c>ByteFallback</c>: a run of <c>&lt;0xNN&gt;</c> tokens becomes its UTF-8 text when the whole run is valid, else
/// one U+FFFD per byte (huggingface/tokenizers decoders/byte_fallback.rs). Validity is the run's as a whole, so the
/// run is held back until a token of another kind, or the end, closes it.
/// </summary>
internal sealed class ByteFallbackStage(DecoderStage next) : DecoderStage(next)
{
    private readonly List<byte> _run = [];

    public override void Write(ReadOnlySpan<char> text, bool newToken)
    {
        if (text is ['<', '0', 'x', _, _, '>'] && byte.TryParse(text[3..5], NumberStyles.AllowHexSpecifier, null, out var value))
        {
            _run.Add(value);
            return;
        }

        CloseRun();
        Next.Write(text, newToken: true);
    }

    public override void Flush()
    {
        CloseRun();
        Next.Flush();
    }

    private void CloseRun()
    {
        if (_run.Count == 0)
        {
            return;
        }

        var bytes = CollectionsMarshal.AsSpan(_run);
        if (Utf8.IsValid(bytes))
        {
            Next.Write(Encoding.UTF8.GetString(bytes), newToken: true);
        }
        else
        {
            foreach (var _ in bytes)
            {
                Next.Write("\uFFFD", newToken: true);
            }
        }

        _run.Clear();
    }
}

/// <summary><c>Fuse</c>: from here on, one string.</summary>
internal sealed class FuseStage(DecoderStage next) : DecoderStage(next)
{
    private bool _started;

    public override void Write(ReadOnlySpan<char> text, bool newToken)
    {
        Next.Write(text, !_started);
        _started = true;
    }
}

/// <summary>
/// <c>Strip</c> (of leading characters only): up to <c>start</c> copies of the character at the start of each token;
/// after a fuse, of the whole text once (SentencePiece's space before the first word).
/// </summary>
internal sealed class StripStage(DecoderStage next, char content, int start) : DecoderStage(next)
{
    private int _remaining;

    public override void Write(ReadOnlySpan<char> text, bool newToken)
    {
        if (newToken)
        {
            _remaining = start;
        }

        var cut = 0;
        while (_remaining > 0 && cut < text.Length && text[cut] == content)
        {
            cut++;
            _remaining--;
        }

        if (cut < text.Length)
        {
            _remaining = 0;
        }

        Next.Write(text[cut..], newToken);
    }
}

/// <summary><c>Replace</c> with a <c>String</c> pattern, in each token.</summary>
internal sealed class ReplaceStage(DecoderStage next, string pattern, string content) : DecoderStage(next)
{
    public override void Write(ReadOnlySpan<char> text, bool newToken)
    {
        if (text.IndexOf(pattern, StringComparison.Ordinal) < 0)
        {
            Next.Write(text, newToken);
        }
        else
        {
            Next.Write(text.ToString().Replace(pattern, content, StringComparison.Ordinal), newToken);
        }
    }
}

/// <summary>
/// <c>Metaspace</c>: the replacement character back to a space, except in the first token, where it is dropped unless
/// the prepend scheme is <c>never</c> (huggingface/tokenizers pre_tokenizers/metaspace.rs, <c>decode_chain</c>).
/// </summary>
internal sealed class MetaspaceStage(DecoderStage next, char replacement, bool dropInFirstToken) : DecoderStage(next)
{
    private int _index = -1;

    public override void Write(ReadOnlySpan<char> text, bool newToken)
    {
        if (newToken)
        {
            _index++;
        }

        if (!text.Contains(replacement))
        {
            Next.Write(text, newToken);
            return;
        }

        var drop = _index == 0 && dropInFirstToken;
        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        var length = 0;
        foreach (var c in text)
        {
            if (c != replacement)
            {
                buffer[length++] = c;
            }
            else if (!drop)
            {
                buffer[length++] = ' ';
            }
        }

        Next.Write(buffer.AsSpan(0, length), newToken);
        ArrayPool<char>.Shared.Return(buffer);
    }
}

/// <summary>
/// <c>WordPiece</c>: a piece with the continuing prefix joins the previous one, any other is preceded by a space;
/// <c>cleanup</c> then removes the spaces tokenization put before punctuation and in English contractions.
/// </summary>
internal sealed class WordPieceStage(DecoderStage next, string prefix, bool cleanup) : DecoderStage(next)
{
    private bool _started;

    public override void Write(ReadOnlySpan<char> text, bool newToken)
    {
        var token = text.ToString();
        if (_started)
        {
            token = token.StartsWith(prefix, StringComparison.Ordinal) ? token[prefix.Length..] : " " + token;
        }

        _started = true;
        Next.Write(cleanup ? Cleanup(token) : token, newToken: true);
    }

    // huggingface/tokenizers decoders/wordpiece.rs cleanup, in its order.
    private static string Cleanup(string token) => token
        .Replace(" .", ".", StringComparison.Ordinal)
        .Replace(" ?", "?", StringComparison.Ordinal)
        .Replace(" !", "!", StringComparison.Ordinal)
        .Replace(" ,", ",", StringComparison.Ordinal)
        .Replace(" ' ", "'", StringComparison.Ordinal)
        .Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal)
        .Replace(" do not", " don't", StringComparison.Ordinal)
        .Replace(" 's", "'s", StringComparison.Ordinal)
        .Replace(" 've", "'ve", StringComparison.Ordinal)
        .Replace(" 're", "'re", StringComparison.Ordinal);
}

/// <summary>No <c>decoder</c>: Hugging Face joins the tokens with spaces.</summary>
internal sealed class SpaceJoinStage(DecoderStage next) : DecoderStage(next)
{
    private bool _started;

    public override void Write(ReadOnlySpan<char> text, bool newToken)
    {
        if (_started)
        {
            Next.Write(" ", newToken: false);
        }

        _started = true;
        Next.Write(text, newToken: false);
    }
}
