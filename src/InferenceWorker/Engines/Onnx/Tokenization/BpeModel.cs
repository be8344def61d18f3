using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>Options of a tokenizer.json <c>BPE</c> model besides its vocabulary and merges.</summary>
internal sealed record BpeOptions(
    string? UnknownToken,
    string? ContinuingSubwordPrefix,
    string? EndOfWordSuffix,
    bool FuseUnknown,
    bool ByteFallback,
    bool IgnoreMerges);

/// <summary>
/// Byte-pair encoding as huggingface/tokenizers' <c>BPE</c> model (models/bpe/model.rs <c>merge_word</c>, word.rs
/// <c>merge_all</c>), for byte-level vocabularies (GPT-2, Llama 3, Qwen2) and SentencePiece-style ones with
/// <c>&lt;0xNN&gt;</c> byte fallback (Llama 2, Mistral).
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' BpeTokenizer has neither <c>byte_fallback</c> nor <c>ignore_merges</c> (Llama 3 sets it),
/// and takes merges only as "a b" strings, which cannot hold tokens with spaces; one engine here serves both families
/// the same way. The merge loop mirrors Hugging Face's: a heap of candidate pairs by (rank, position), stale entries
/// skipped when popped, new pairs pushed around each merge; the order of merges, hence the ids, is the same.
/// </remarks>
internal sealed class BpeModel : TokenizerModel
{
    // Hugging Face caches up to 10,000 words too; a word's ids never change, so the cache only saves time.
    private const int CacheCapacity = 10_000;
    private const int MaxCachedLength = 256;

    // Up to this many symbols a linear scan per merge is cheaper than a heap (measured on 4 KB prompts).
    private const int LinearScanLimit = 48;

    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private int _cacheCount;
    private readonly Dictionary<long, (int Rank, int NewId)> _merges;
    private readonly BpeOptions _options;
    private readonly int _unknownId = -1;

    // The id of "<0xNN>" for each byte, -1 where the vocabulary has none.
    private readonly int[] _byteTokenIds = new int[256];

    public BpeModel(Dictionary<string, int> vocabulary, IReadOnlyList<(string Left, string Right)> merges, BpeOptions options)
        : base(vocabulary)
    {
        // GPT-2's file has "" for both: the same as none, without building a string per character.
        _options = options with
        {
            ContinuingSubwordPrefix = options.ContinuingSubwordPrefix is "" ? null : options.ContinuingSubwordPrefix,
            EndOfWordSuffix = options.EndOfWordSuffix is "" ? null : options.EndOfWordSuffix,
        };
        if (options.UnknownToken is not null)
        {
            _unknownId = RequiredId(options.UnknownToken, "unk_token");
        }

        for (var b = 0; b < 256; b++)
        {
            _byteTokenIds[b] = vocabulary.GetValueOrDefault($"<0x{b:X2}>", -1);
        }

        // Ranks follow the list; a pair listed twice keeps its later rank, as Hugging Face's map does.
        var prefixLength = _options.ContinuingSubwordPrefix?.Length ?? 0;
        _merges = new Dictionary<long, (int, int)>(merges.Count, PairComparer.Instance);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            var leftId = MergeTokenId(left, rank);
            var rightId = MergeTokenId(right, rank);
            if (right.Length < prefixLength)
            {
                throw new InvalidDataException($"model.merges[{rank}]: '{right}' lacks the continuing_subword_prefix");
            }

            _merges[Pair(leftId, rightId)] = (rank, MergeTokenId(left + right[prefixLength..], rank));
        }
    }

    public override void Tokenize(string word, List<int> ids)
    {
        if (_options.IgnoreMerges && Vocabulary.TryGetValue(word, out var whole))
        {
            ids.Add(whole);
            return;
        }

        if (_cache.TryGetValue(word, out var cached))
        {
            ids.AddRange(cached);
            return;
        }

        var first = ids.Count;
        Merge(word, ids);
        // Counted apart: ConcurrentDictionary.Count takes every lock of the dictionary.
        if (word.Length <= MaxCachedLength && _cacheCount < CacheCapacity
            && _cache.TryAdd(word, CollectionsMarshal.AsSpan(ids)[first..].ToArray()))
        {
            Interlocked.Increment(ref _cacheCount);
        }
    }

    private void Merge(string word, List<int> ids)
    {
        // A symbol per character at most, or per UTF-8 byte of the character with its prefix and suffix.
        var decoration = (_options.ContinuingSubwordPrefix?.Length ?? 0) + (_options.EndOfWordSuffix?.Length ?? 0);
        var capacity = word.Length * 3 * (1 + decoration) + 1;
        Symbol[]? rented = null;
        var symbols = capacity <= 128 ? stackalloc Symbol[128] : (rented = ArrayPool<Symbol>.Shared.Rent(capacity));
        try
        {
            var count = InitialSymbols(word, symbols);
            if (count is > 1 and <= LinearScanLimit)
            {
                MergeByScan(symbols[..count]);
            }
            else if (count > LinearScanLimit)
            {
                MergeWithHeap(symbols[..count]);
            }

            for (var i = 0; i < count; i++)
            {
                if (symbols[i].Alive)
                {
                    ids.Add(symbols[i].Id);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<Symbol>.Shared.Return(rented);
            }
        }
    }

    // merge_word: one symbol per character, or its <0xNN> byte tokens, or the unknown token (runs of them fused
    // when fuse_unk); a character with none of these is dropped, as Hugging Face does without an unk_token.
    private int InitialSymbols(string word, Span<Symbol> symbols)
    {
        var count = 0;
        var pendingUnknown = false;
        Span<byte> utf8 = stackalloc byte[12];
        for (var i = 0; i < word.Length;)
        {
            Rune.DecodeFromUtf16(word.AsSpan(i), out _, out var length);
            var isFirst = i == 0;
            var isLast = i + length == word.Length;
            var key = word.AsSpan(i, length);
            i += length;

            var decorated = (!isFirst && _options.ContinuingSubwordPrefix is not null)
                || (isLast && _options.EndOfWordSuffix is not null);
            var spelled = decorated
                ? (isFirst ? "" : _options.ContinuingSubwordPrefix) + key.ToString() + (isLast ? _options.EndOfWordSuffix : "")
                : null;
            if (spelled is null ? Lookup.TryGetValue(key, out var id) : Vocabulary.TryGetValue(spelled, out id))
            {
                if (pendingUnknown)
                {
                    Add(symbols, ref count, _unknownId);
                    pendingUnknown = false;
                }

                Add(symbols, ref count, id);
                continue;
            }

            if (_options.ByteFallback && TryAddBytes(spelled is null ? key : spelled.AsSpan(), symbols, ref count, utf8))
            {
                // Hugging Face adds the bytes without first flushing a pending unknown token; so does this.
                continue;
            }

            if (_unknownId >= 0)
            {
                if (pendingUnknown && !_options.FuseUnknown)
                {
                    Add(symbols, ref count, _unknownId);
                }

                pendingUnknown = true;
            }
        }

        if (pendingUnknown)
        {
            Add(symbols, ref count, _unknownId);
        }

        return count;
    }

    private bool TryAddBytes(ReadOnlySpan<char> text, Span<Symbol> symbols, ref int count, Span<byte> buffer)
    {
        var bytes = text.Length * 3 <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(text, buffer)]
            : Encoding.UTF8.GetBytes(text.ToArray());
        foreach (var b in bytes)
        {
            if (_byteTokenIds[b] < 0)
            {
                return false;
            }
        }

        foreach (var b in bytes)
        {
            Add(symbols, ref count, _byteTokenIds[b]);
        }

        return true;
    }

    // The merge the heap below would pop next is always the lowest (rank, position) among the pairs now adjacent,
    // so for short words a scan for it gives the same merges without the heap's allocations.
    private void MergeByScan(Span<Symbol> symbols)
    {
        while (true)
        {
            var (best, bestRank, bestId) = (-1, int.MaxValue, 0);
            for (var i = 0; symbols[i].Next >= 0; i = symbols[i].Next)
            {
                if (_merges.TryGetValue(Pair(symbols[i].Id, symbols[symbols[i].Next].Id), out var merge) && merge.Rank < bestRank)
                {
                    (best, bestRank, bestId) = (i, merge.Rank, merge.NewId);
                }
            }

            if (best < 0)
            {
                return;
            }

            ref var symbol = ref symbols[best];
            var right = symbols[symbol.Next];
            symbols[symbol.Next].Alive = false;
            symbol.Id = bestId;
            symbol.Next = right.Next;
            if (right.Next >= 0)
            {
                symbols[right.Next].Previous = best;
            }
        }
    }

    private void MergeWithHeap(Span<Symbol> symbols)
    {
        var queue = new PriorityQueue<(int Position, int NewId), long>();
        for (var i = 0; i + 1 < symbols.Length; i++)
        {
            Enqueue(queue, symbols, i, i + 1);
        }

        while (queue.TryDequeue(out var top, out _))
        {
            ref var symbol = ref symbols[top.Position];
            if (!symbol.Alive || symbol.Next < 0)
            {
                continue;
            }

            // An entry is stale when either side has merged since it was queued.
            var right = symbols[symbol.Next];
            if (!_merges.TryGetValue(Pair(symbol.Id, right.Id), out var merge) || merge.NewId != top.NewId)
            {
                continue;
            }

            symbols[symbol.Next].Alive = false;
            symbol.Id = top.NewId;
            symbol.Next = right.Next;
            if (right.Next >= 0)
            {
                symbols[right.Next].Previous = top.Position;
            }

            if (symbol.Previous >= 0)
            {
                Enqueue(queue, symbols, symbol.Previous, top.Position);
            }

            if (symbol.Next >= 0)
            {
                Enqueue(queue, symbols, top.Position, symbol.Next);
            }
        }
    }

    private void Enqueue(PriorityQueue<(int, int), long> queue, Span<Symbol> symbols, int left, int right)
    {
        if (_merges.TryGetValue(Pair(symbols[left].Id, symbols[right].Id), out var merge))
        {
            // Lowest rank first, then leftmost, as Hugging Face's Merge ordering.
            queue.Enqueue((left, merge.NewId), ((long)merge.Rank << 32) | (uint)left);
        }
    }

    private static void Add(Span<Symbol> symbols, ref int count, int id)
    {
        if (count > 0)
        {
            symbols[count - 1].Next = count;
        }

        symbols[count] = new Symbol { Id = id, Previous = count - 1, Next = -1, Alive = true };
        count++;
    }

    private int MergeTokenId(string token, int rank) => Vocabulary.TryGetValue(token, out var id)
        ? id
        : throw new InvalidDataException($"model.merges[{rank}]: token '{token}' is not in model.vocab");

    private static long Pair(int left, int right) => ((long)left << 32) | (uint)right;

    // long's own hash is its halves XORed: pairs of ids collide a lot (20,785 merges on 9,189 hash codes, 130 on
    // one, measured), making each lookup ~90 ns. Fibonacci hashing spreads them.
    private sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long pair) => (int)((ulong)pair * 0x9E3779B97F4A7C15UL >> 32);
    }

    private struct Symbol
    {
        public int Id;
        public int Previous;
        public int Next;
        public bool Alive;
    }
}
