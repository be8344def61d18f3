using System.Globalization;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary><c>Sequence</c>: each pre-tokenizer splits every piece the previous one produced.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<PreTokenizer> steps) : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output)
    {
        List<Piece> current = [piece];
        foreach (var step in steps)
        {
            var next = new List<Piece>(current.Count * 2);
            foreach (var p in current)
            {
                step.Split(p, next);
            }

            current = next;
        }

        output.AddRange(current);
    }
}

/// <summary><c>Split</c> with a <c>Regex</c> or <c>String</c> pattern (Llama 3's and Qwen2's digit and word rules).</summary>
internal sealed class RegexSplitPreTokenizer(CodePointRegex regex, SplitBehavior behavior, bool invert) : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output) =>
        Emit(piece, Segments(piece.Text, regex, invert), behavior, output);
}

/// <summary>
/// <c>ByteLevel</c>: optionally a leading space and GPT-2's split, then every piece spelled in
/// <see cref="ByteLevelAlphabet"/>, one character per UTF-8 byte.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : PreTokenizer
{
    // huggingface/tokenizers pre_tokenizers/byte_level.rs, the pattern of openai/gpt-2 encoder.py.
    private static readonly CodePointRegex s_gpt2 =
        new(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+");

    public override void Split(Piece piece, List<Piece> output)
    {
        if (addPrefixSpace && !piece.Text.StartsWith(' '))
        {
            piece = piece with { Text = " " + piece.Text };
        }

        if (!useRegex)
        {
            output.Add(piece with { Text = ByteLevelAlphabet.Encode(piece.Text) });
            return;
        }

        var first = output.Count;
        Emit(piece, Segments(piece.Text, s_gpt2, invert: false), SplitBehavior.Isolated, output);
        for (var i = first; i < output.Count; i++)
        {
            output[i] = output[i] with { Text = ByteLevelAlphabet.Encode(output[i].Text) };
        }
    }
}

internal enum PrependScheme
{
    Always,
    First,
    Never,
}

/// <summary>
/// <c>Metaspace</c> (SentencePiece-style exports): spaces become the replacement character ('▁'), which is also
/// prepended (always, or only to the piece at the start of the input), then the text is split before each one.
/// </summary>
internal sealed class MetaspacePreTokenizer(char replacement, PrependScheme scheme, bool split) : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output)
    {
        var text = piece.Text.Replace(' ', replacement);
        var prepend = scheme == PrependScheme.Always || (scheme == PrependScheme.First && piece.AtStart);
        if (prepend && !text.StartsWith(replacement))
        {
            text = replacement + text;
        }

        piece = piece with { Text = text };
        if (split)
        {
            Emit(piece, Segments(text, r => r.Value == replacement), SplitBehavior.MergedWithNext, output);
        }
        else
        {
            output.Add(piece);
        }
    }
}

/// <summary><c>Digits</c> (SmolLM): numbers apart from the rest, each digit alone when <c>individual_digits</c>.</summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output) =>
        Emit(piece, Segments(piece.Text, IsNumeric),
            individualDigits ? SplitBehavior.Isolated : SplitBehavior.Contiguous, output);

    // Rust's char::is_numeric: general categories Nd, Nl and No.
    private static bool IsNumeric(Rune rune) => Rune.GetUnicodeCategory(rune)
        is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}

/// <summary><c>BertPreTokenizer</c>: whitespace removed, every punctuation character a piece of its own.</summary>
internal sealed class BertPreTokenizer : PreTokenizer
{
    public override void Split(Piece piece, List<Piece> output)
    {
        var words = new List<Piece>();
        Emit(piece, Segments(piece.Text, Rune.IsWhiteSpace), SplitBehavior.Removed, words);
        foreach (var word in words)
        {
            Emit(word, Segments(word.Text, IsPunctuation), SplitBehavior.Isolated, output);
        }
    }

    // huggingface/tokenizers is_bert_punc: ASCII punctuation (which includes symbols such as $ + < = > ^ ` | ~)
    // or a Unicode punctuation category.
    private static bool IsPunctuation(Rune rune) =>
        (rune.Value is > 0x20 and < 0x7F && !char.IsAsciiLetterOrDigit((char)rune.Value))
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;
}
