using System.Globalization;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>A tokenizer.json <c>normalizer</c>. Implementations are immutable and thread-safe.</summary>
internal abstract class Normalizer
{
    public abstract string Normalize(string text);
}

internal sealed class SequenceNormalizer(IReadOnlyList<Normalizer> steps) : Normalizer
{
    public override string Normalize(string text)
    {
        foreach (var step in steps)
        {
            text = step.Normalize(text);
        }

        return text;
    }
}

/// <summary><c>Prepend</c> (Llama 2's "▁"): only to non-empty text, so an input that starts with an added token
/// gets no prefix before it.</summary>
internal sealed class PrependNormalizer(string prefix) : Normalizer
{
    public override string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}

/// <summary><c>Replace</c> with a <c>String</c> pattern: every non-overlapping occurrence, left to right.</summary>
internal sealed class ReplaceNormalizer(string pattern, string content) : Normalizer
{
    public override string Normalize(string text) => text.Replace(pattern, content, StringComparison.Ordinal);
}

/// <summary><c>NFC</c> (Qwen2), or <c>NFD</c> when not <paramref name="composed"/>.</summary>
internal sealed class CanonicalNormalizer(bool composed) : Normalizer
{
    public override string Normalize(string text) =>
        composed ? UnicodeNormalization.Nfc(text) : UnicodeNormalization.Nfd(text);
}

internal sealed class LowercaseNormalizer : Normalizer
{
    public override string Normalize(string text) => UnicodeRules.ToLower(text);
}

/// <summary>
/// <c>BertNormalizer</c> (BERT, MiniLM, BGE, E5), huggingface/tokenizers normalizers/bert.rs step by step: drop NUL,
/// U+FFFD and control characters and turn whitespace into spaces; put spaces around CJK ideographs; strip accents
/// (NFD, then no non-spacing marks; on by default when lowercasing); lowercase.
/// </summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool stripAccents, bool lowercase)
    : Normalizer
{
    public override string Normalize(string text)
    {
        if (cleanText || handleChineseChars)
        {
            var builder = new StringBuilder(text.Length + 8);
            foreach (var rune in text.EnumerateRunes())
            {
                if (cleanText && (rune.Value is 0 or 0xFFFD || IsControl(rune)))
                {
                    continue;
                }

                if (cleanText && (rune.Value is '\t' or '\n' or '\r' || Rune.IsWhiteSpace(rune)))
                {
                    builder.Append(' ');
                }
                else if (handleChineseChars && IsChineseChar(rune.Value))
                {
                    builder.Append(' ').AppendRune(rune).Append(' ');
                }
                else
                {
                    builder.AppendRune(rune);
                }
            }

            text = builder.ToString();
        }

        if (stripAccents)
        {
            text = UnicodeRules.StripNonSpacingMarks(UnicodeNormalization.Nfd(text));
        }

        return lowercase ? UnicodeRules.ToLower(text) : text;
    }

    // The unicode_categories crate's is_other (Cc, Cf, Co), tab, newline and carriage return excepted.
    private static bool IsControl(Rune rune) => rune.Value is not ('\t' or '\n' or '\r')
        && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse;

    private static bool IsChineseChar(int c) => c is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F)
        or (>= 0x2B920 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}

/// <summary>Character rules where .NET's defaults differ from Rust's, which Hugging Face's tokenizers use.</summary>
internal static class UnicodeRules
{
    /// <summary>
    /// Rust's <c>char::to_lowercase</c>, code point by code point: Unicode's simple mapping, except U+0130 (İ), whose
    /// full mapping Rust applies ("i̇") and .NET's invariant casing leaves unchanged.
    /// </summary>
    public static string ToLower(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x130)
            {
                builder.Append("i\u0307");
            }
            else
            {
                builder.AppendRune(Rune.ToLowerInvariant(rune));
            }
        }

        return builder.ToString();
    }

    public static string StripNonSpacingMarks(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                builder.AppendRune(rune);
            }
        }

        return builder.ToString();
    }

    public static StringBuilder AppendRune(this StringBuilder builder, Rune rune)
    {
        Span<char> utf16 = stackalloc char[2];
        return builder.Append(utf16[..rune.EncodeToUtf16(utf16)]);
    }
}
