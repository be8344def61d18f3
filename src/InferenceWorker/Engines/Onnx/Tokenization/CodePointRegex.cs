using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// A split pattern from tokenizer.json, written for Oniguruma, run with .NET's <see cref="Regex"/>.
/// </summary>
/// <remarks>
/// The two engines agree on the syntax these patterns use (<c>\p{L}</c>, <c>\p{N}</c>, <c>\s</c>, <c>(?i:…)</c>,
/// lookahead) but not on what a character is: Oniguruma matches code points, .NET UTF-16 code units, whose surrogate
/// halves are category Cs. An astral letter such as 𠀀 or 𝐀 would then fail <c>\p{L}+</c> and be cut out of its word,
/// changing the tokens; Microsoft.ML.Tokenizers' RegexPreTokenizer, a plain .NET regex, splits "a𝐀b" in three. So text
/// that holds astral characters is matched on a copy where each one is a single BMP stand-in of the same Unicode
/// category, and the match positions are mapped back. Thread-safe.
/// </remarks>
internal sealed class CodePointRegex
{
    // For each UnicodeCategory, the highest BMP code point of that category: far from the Latin, CJK and kana ranges
    // that patterns name explicitly, so a stand-in only ever matches through its category.
    private static readonly char[] s_standIns = BuildStandIns();

    private readonly Regex _regex;

    /// <exception cref="ArgumentException">The pattern is not one .NET's regex engine understands.</exception>
    public CodePointRegex(string pattern) =>
        _regex = new Regex(WithLongS(pattern), RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>Appends the (start, end) of each successive match in <paramref name="text"/>, as Oniguruma finds them.</summary>
    public void FindMatches(string text, List<(int Start, int End)> matches)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDBFF'))
        {
            foreach (var match in _regex.EnumerateMatches(text))
            {
                matches.Add((match.Index, match.Index + match.Length));
            }

            return;
        }

        var folded = ArrayPool<char>.Shared.Rent(text.Length);
        var origin = ArrayPool<int>.Shared.Rent(text.Length + 1);
        try
        {
            var length = Fold(text, folded, origin);
            foreach (var match in _regex.EnumerateMatches(folded.AsSpan(0, length)))
            {
                matches.Add((origin[match.Index], origin[match.Index + match.Length]));
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(folded);
            ArrayPool<int>.Shared.Return(origin);
        }
    }

    // Writes text with each surrogate pair replaced by its stand-in; origin[i] is where folded[i] starts in text.
    private static int Fold(string text, char[] folded, int[] origin)
    {
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            origin[length] = i;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]));
                folded[length++] = s_standIns[(int)category];
                i++;
            }
            else
            {
                folded[length++] = text[i];
            }
        }

        origin[length] = text.Length;
        return length;
    }

    // Oniguruma's case folding takes ſ (U+017F) for s and .NET's case-insensitive matching does not, so Llama 3's
    // "(?i:'s|…)" would miss "'ſ" (found comparing with Hugging Face). A literal s under (?i) becomes [sſ]; escapes,
    // \p{…} names and character classes are copied as they are.
    private static string WithLongS(string pattern)
    {
        if (!pattern.Contains("(?i", StringComparison.Ordinal))
        {
            return pattern;
        }

        var builder = new StringBuilder(pattern.Length + 8);
        var scopes = new Stack<bool>();
        var (ignoreCase, inClass) = (false, false);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var end = pattern[i + 1] is 'p' or 'P' && i + 2 < pattern.Length && pattern[i + 2] == '{'
                    ? pattern.IndexOf('}', i)
                    : i + 1;
                end = end < 0 ? pattern.Length - 1 : end;
                builder.Append(pattern, i, end - i + 1);
                i = end;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else if (c == '(')
            {
                var rest = pattern.AsSpan(i);
                if (rest.StartsWith("(?i)"))
                {
                    ignoreCase = true;
                    builder.Append("(?i)");
                    i += 3;
                    continue;
                }

                scopes.Push(ignoreCase);
                ignoreCase = rest.StartsWith("(?i:") || (ignoreCase && !rest.StartsWith("(?-i"));
            }
            else if (c == ')' && scopes.Count > 0)
            {
                ignoreCase = scopes.Pop();
            }
            else if (c is 's' or 'S' && ignoreCase)
            {
                builder.Append("[s\u017F]");
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static char[] BuildStandIns()
    {
        var standIns = new char[(int)UnicodeCategory.OtherNotAssigned + 1];
        for (int c = 0xFFFF; c >= 0x100; c--)
        {
            var category = (int)CharUnicodeInfo.GetUnicodeCategory((char)c);
            if (standIns[category] == '\0' && c is < 0xD800 or > 0xDFFF)
            {
                standIns[category] = (char)c;
            }
        }

        return standIns;
    }
}
