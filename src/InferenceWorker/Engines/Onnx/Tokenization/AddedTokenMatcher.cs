using System.Buffers;
using System.Globalization;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>An entry of tokenizer.json's <c>added_tokens</c>, with the id Hugging Face gives it.</summary>
internal sealed record AddedToken(
    int Id, string Content, bool SingleWord, bool Lstrip, bool Rstrip, bool Normalized, bool Special);

/// <summary>
/// Cuts added tokens out of text before the model sees it, as huggingface/tokenizers' <c>AddedVocabulary</c>
/// (<c>find_matches</c>): leftmost-longest matches, then the token's options (<c>single_word</c> drops a match inside a
/// word, <c>lstrip</c>/<c>rstrip</c> take the whitespace around it). Immutable and thread-safe.
/// </summary>
/// <remarks>
/// A trie walked from each position a token can start at; Hugging Face uses an Aho-Corasick automaton with the same
/// leftmost-longest semantics. Llama 3's 256 reserved tokens share a 25-character prefix, so the walk stops at the
/// first character that differs rather than comparing every token.
/// </remarks>
internal sealed class AddedTokenMatcher
{
    private readonly Node _root = new();
    private readonly SearchValues<char> _firstChars;

    /// <param name="entries">Each token with the text it matches: its content, or its normalized content.</param>
    public AddedTokenMatcher(IEnumerable<(string Pattern, AddedToken Token)> entries)
    {
        foreach (var (pattern, token) in entries)
        {
            if (pattern.Length == 0)
            {
                continue;
            }

            var node = _root;
            foreach (var c in pattern)
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(c, out var child))
                {
                    node.Children[c] = child = new Node();
                }

                node = child;
            }

            node.Token = token;
        }

        _firstChars = SearchValues.Create(_root.Children?.Keys.ToArray() ?? []);
    }

    /// <summary>Appends splits covering <paramref name="text"/>: added tokens with their token, the text between without.</summary>
    public void Split(string text, List<(int Start, int End, AddedToken? Token)> splits)
    {
        var startOffset = 0;
        var i = 0;
        while (i < text.Length)
        {
            var skip = text.AsSpan(i).IndexOfAny(_firstChars);
            if (skip < 0)
            {
                break;
            }

            i += skip;
            var (token, end) = LongestAt(text, i);
            if (token is null)
            {
                i++;
                continue;
            }

            // The search resumes after the match even when its options reject it, as Hugging Face's iterator does.
            var (start, stop) = (i, end);
            i = end;
            if (token.SingleWord && (EndsWithWordChar(text, start) || StartsWithWordChar(text, stop)))
            {
                continue;
            }

            if (token.Lstrip)
            {
                var spaceStart = start;
                while (spaceStart > 0 && Rune.TryGetRuneAt(text, PreviousRuneStart(text, spaceStart), out var r)
                       && Rune.IsWhiteSpace(r))
                {
                    spaceStart = PreviousRuneStart(text, spaceStart);
                }

                start = Math.Max(spaceStart, startOffset);
            }

            if (token.Rstrip)
            {
                while (stop < text.Length && Rune.TryGetRuneAt(text, stop, out var r) && Rune.IsWhiteSpace(r))
                {
                    stop += r.Utf16SequenceLength;
                }
            }

            if (startOffset < start)
            {
                splits.Add((startOffset, start, null));
            }

            splits.Add((start, stop, token));
            startOffset = stop;
        }

        if (startOffset != text.Length)
        {
            splits.Add((startOffset, text.Length, null));
        }
    }

    private (AddedToken? Token, int End) LongestAt(string text, int start)
    {
        var node = _root;
        (AddedToken? Token, int End) longest = (null, start);
        for (var j = start; j < text.Length; j++)
        {
            if (node.Children is null || !node.Children.TryGetValue(text[j], out node))
            {
                break;
            }

            if (node.Token is not null)
            {
                longest = (node.Token, j + 1);
            }
        }

        return longest;
    }

    private static int PreviousRuneStart(string text, int index) =>
        index >= 2 && char.IsLowSurrogate(text[index - 1]) && char.IsHighSurrogate(text[index - 2]) ? index - 2 : index - 1;

    private static bool EndsWithWordChar(string text, int end) =>
        end > 0 && Rune.TryGetRuneAt(text, PreviousRuneStart(text, end), out var r) && IsWordChar(r);

    private static bool StartsWithWordChar(string text, int start) =>
        start < text.Length && Rune.TryGetRuneAt(text, start, out var r) && IsWordChar(r);

    // Rust regex's Unicode \w (Hugging Face tests single_word with ^\w and \w$): alphabetic, marks, decimal digits,
    // connector punctuation and the joiners. .NET's \w lacks Mc, Me and Nl, hence this predicate.
    private static bool IsWordChar(Rune rune) => rune.Value is 0x200C or 0x200D
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.LetterNumber or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.ConnectorPunctuation;

    private sealed class Node
    {
        public Dictionary<char, Node>? Children { get; set; }

        public AddedToken? Token { get; set; }
    }
}
