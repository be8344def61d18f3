using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// A stretch of normalized text on its way to the model. <paramref name="AtStart"/>: it begins at offset 0 of the
/// input, which Metaspace's <c>prepend_scheme: first</c> asks (Hugging Face's <c>offsets_original().0 == 0</c>).
/// </summary>
internal readonly record struct Piece(string Text, bool AtStart);

/// <summary>What a split does with the delimiters it finds (Hugging Face's <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

/// <summary>
/// Splits normalized text into the words the model tokenizes one by one, as a tokenizer.json <c>pre_tokenizer</c>.
/// Implementations are immutable and thread-safe.
/// </summary>
internal abstract class PreTokenizer
{
    /// <summary>Appends the non-empty pieces <paramref name="piece"/> splits into, in order.</summary>
    public abstract void Split(Piece piece, List<Piece> output);

    /// <summary>Hugging Face's regex <c>find_matches</c>: segments covering the text, each a match or the gap before one.</summary>
    protected static List<(int Start, int End, bool IsMatch)> Segments(string text, CodePointRegex regex, bool invert)
    {
        var matches = new List<(int Start, int End)>();
        regex.FindMatches(text, matches);
        var segments = new List<(int Start, int End, bool IsMatch)>(matches.Count * 2 + 1);
        var previous = 0;
        foreach (var (start, end) in matches)
        {
            if (previous != start)
            {
                segments.Add((previous, start, invert));
            }

            segments.Add((start, end, !invert));
            previous = end;
        }

        if (previous != text.Length)
        {
            segments.Add((previous, text.Length, invert));
        }

        return segments;
    }

    /// <summary>Hugging Face's character-predicate <c>find_matches</c>: every matching code point is a match of its own.</summary>
    protected static List<(int Start, int End, bool IsMatch)> Segments(string text, Func<Rune, bool> isDelimiter)
    {
        var segments = new List<(int Start, int End, bool IsMatch)>();
        var gapStart = 0;
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length);
            if (isDelimiter(rune))
            {
                if (gapStart < i)
                {
                    segments.Add((gapStart, i, false));
                }

                segments.Add((i, i + length, true));
                gapStart = i + length;
            }

            i += length;
        }

        if (gapStart < text.Length)
        {
            segments.Add((gapStart, text.Length, false));
        }

        return segments;
    }

    /// <summary>Hugging Face's <c>NormalizedString::split</c>: applies the behavior to the segments and emits the pieces.</summary>
    protected static void Emit(
        Piece piece, List<(int Start, int End, bool IsMatch)> segments, SplitBehavior behavior, List<Piece> output)
    {
        var splits = new List<(int Start, int End, bool Remove)>(segments.Count);
        var previousMatch = false;
        switch (behavior)
        {
            case SplitBehavior.Removed:
                splits.AddRange(segments);
                break;
            case SplitBehavior.Isolated:
                splits.AddRange(segments.Select(s => (s.Start, s.End, false)));
                break;
            case SplitBehavior.Contiguous:
                foreach (var (start, end, isMatch) in segments)
                {
                    if (isMatch == previousMatch && splits.Count > 0)
                    {
                        splits[^1] = (splits[^1].Start, end, false);
                    }
                    else
                    {
                        splits.Add((start, end, false));
                    }

                    previousMatch = isMatch;
                }

                break;
            case SplitBehavior.MergedWithPrevious:
                foreach (var (start, end, isMatch) in segments)
                {
                    if (isMatch && !previousMatch && splits.Count > 0)
                    {
                        splits[^1] = (splits[^1].Start, end, false);
                    }
                    else
                    {
                        splits.Add((start, end, false));
                    }

                    previousMatch = isMatch;
                }

                break;
            case SplitBehavior.MergedWithNext:
                // Hugging Face folds from the end: a delimiter joins the split that follows it.
                for (var i = segments.Count - 1; i >= 0; i--)
                {
                    var (start, end, isMatch) = segments[i];
                    if (isMatch && !previousMatch && splits.Count > 0)
                    {
                        splits[^1] = (start, splits[^1].End, false);
                    }
                    else
                    {
                        splits.Add((start, end, false));
                    }

                    previousMatch = isMatch;
                }

                splits.Reverse();
                break;
        }

        foreach (var (start, end, remove) in splits)
        {
            if (!remove && end > start)
            {
                output.Add(new Piece(piece.Text[start..end], piece.AtStart && start == 0));
            }
        }
    }
}
