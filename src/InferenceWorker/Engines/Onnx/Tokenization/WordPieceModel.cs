using System.Buffers;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// WordPiece as huggingface/tokenizers' <c>WordPiece</c> model (models/wordpiece/mod.rs): greedy longest match from
/// the left, later pieces spelled with the continuing prefix ("##"); a word with any unmatched rest, or longer than
/// <c>max_input_chars_per_word</c> code points, is one unknown token.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' WordPieceTokenizer counts that limit in UTF-16 units, so a word of 51 to 100 emoji is
/// [UNK] there and tokenized by Hugging Face; it also reads only a vocab.txt stream.
/// </remarks>
internal sealed class WordPieceModel : TokenizerModel
{
    private readonly int _unknownId;
    private readonly string _prefix;
    private readonly int _maxCharsPerWord;

    public WordPieceModel(Dictionary<string, int> vocabulary, string unknownToken, string prefix, int maxCharsPerWord)
        : base(vocabulary)
    {
        _unknownId = RequiredId(unknownToken, "unk_token");
        _prefix = prefix;
        _maxCharsPerWord = maxCharsPerWord;
    }

    public override void Tokenize(string word, List<int> ids)
    {
        if (CodePoints(word) > _maxCharsPerWord)
        {
            ids.Add(_unknownId);
            return;
        }

        var first = ids.Count;
        var buffer = ArrayPool<char>.Shared.Rent(_prefix.Length + word.Length);
        try
        {
            _prefix.CopyTo(buffer);
            for (var start = 0; start < word.Length;)
            {
                var end = word.Length;
                var id = -1;
                while (start < end)
                {
                    // Later pieces are looked up with the prefix in front, copied behind it in the buffer.
                    var piece = word.AsSpan(start, end - start);
                    var key = start == 0 ? piece : Prefixed(buffer, piece);
                    if (Lookup.TryGetValue(key, out id))
                    {
                        break;
                    }

                    id = -1;
                    end -= char.IsLowSurrogate(word[end - 1]) && end - 2 >= start && char.IsHighSurrogate(word[end - 2]) ? 2 : 1;
                }

                if (id < 0)
                {
                    ids.RemoveRange(first, ids.Count - first);
                    ids.Add(_unknownId);
                    return;
                }

                ids.Add(id);
                start = end;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private ReadOnlySpan<char> Prefixed(char[] buffer, ReadOnlySpan<char> piece)
    {
        piece.CopyTo(buffer.AsSpan(_prefix.Length));
        return buffer.AsSpan(0, _prefix.Length + piece.Length);
    }

    private static int CodePoints(string word)
    {
        var count = word.Length;
        for (var i = 0; i + 1 < word.Length; i++)
        {
            if (char.IsHighSurrogate(word[i]) && char.IsLowSurrogate(word[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }
}
