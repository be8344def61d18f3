using System.Buffers;
using System.Text;
using AiPlatform.InferenceWorker.Api;

namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// One choice of a simulated answer: its tokens as UTF-8 pieces (slices of <see cref="Vocabulary"/>, so making
/// them allocates only the pooled array that lists them) and why it ended.
/// </summary>
/// <remarks>Owned by one request; not thread-safe. Dispose returns the pooled array.</remarks>
internal sealed class SimulatedChoice : IDisposable
{
    private ReadOnlyMemory<byte>[] _pieces;

    public SimulatedChoice(ReadOnlyMemory<byte>[] pieces, int count, FinishReason finishReason)
    {
        _pieces = pieces;
        Count = count;
        FinishReason = finishReason;
    }

    /// <summary>Tokens in the answer: its <c>completion_tokens</c> and the number of streamed content deltas.</summary>
    public int Count { get; private set; }

    public FinishReason FinishReason { get; private set; }

    public int Utf8Length
    {
        get
        {
            var length = 0;
            for (var i = 0; i < Count; i++)
            {
                length += _pieces[i].Length;
            }

            return length;
        }
    }

    public ReadOnlySpan<byte> Piece(int index) => _pieces[index].Span;

    public void CopyTo(Span<byte> destination)
    {
        for (var i = 0; i < Count; i++)
        {
            _pieces[i].Span.CopyTo(destination);
            destination = destination[_pieces[i].Length..];
        }
    }

    /// <summary>The answer as a string (for tests and logs; the response path writes the pieces).</summary>
    public string Text
    {
        get
        {
            var bytes = new byte[Utf8Length];
            CopyTo(bytes);
            return Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>
    /// Cuts the answer where the earliest stop string starts, as OpenAI does: the stop string is not part of the answer
    /// and the finish reason becomes <c>stop</c>. A token the cut falls into keeps its first part, which is still one
    /// token under the tokenizer's rule (whitespace and a shorter run of letters, or whitespace alone).
    /// </summary>
    public void ApplyStops(IReadOnlyList<byte[]> stops)
    {
        if (stops.Count == 0 || Count == 0)
        {
            return;
        }

        var length = Utf8Length;
        var text = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            CopyTo(text);
            var cut = -1;
            foreach (var stop in stops)
            {
                var at = text.AsSpan(0, length).IndexOf(stop);
                if (at >= 0 && (cut < 0 || at < cut))
                {
                    cut = at;
                }
            }

            if (cut < 0)
            {
                return;
            }

            var start = 0;
            for (var i = 0; i < Count; i++)
            {
                var end = start + _pieces[i].Length;
                if (cut < end)
                {
                    if (cut > start)
                    {
                        _pieces[i] = _pieces[i][..(cut - start)];
                        i++;
                    }

                    Count = i;
                    break;
                }

                start = end;
            }

            FinishReason = FinishReason.Stop;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
        }
    }

    public void Dispose()
    {
        if (_pieces.Length > 0)
        {
            ArrayPool<ReadOnlyMemory<byte>>.Shared.Return(_pieces);
            _pieces = [];
            Count = 0;
        }
    }
}
