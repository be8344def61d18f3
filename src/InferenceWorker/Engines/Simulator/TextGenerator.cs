using System.Buffers;
using AiPlatform.InferenceWorker.Api;

namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// Makes the simulator's answers: words from <see cref="Vocabulary"/> drawn by a <see cref="SplitMix64"/> seeded from
/// the prompt's <see cref="StableHash"/>, the request's <c>seed</c> and the choice's index. The same request always
/// gets the same answer; another seed or another choice index gets another one.
/// </summary>
/// <remarks>
/// An answer's natural length is drawn from [<see cref="MinimumLength"/>, <c>DefaultMaxTokens</c>] and it ends with a
/// period. <c>max_tokens</c> below that length cuts it (finish <c>length</c>); the cut answer is a prefix of the whole
/// one. Stop strings cut it where they first occur (finish <c>stop</c>).
/// </remarks>
internal static class TextGenerator
{
    public const int MinimumLength = 8;

    // Mixed in when the request has no seed, so that "no seed" and "seed: 0" are different answers.
    private const ulong NoSeed = 0x5EED_0000_0000_0001;

    public static SimulatedChoice Generate(ulong promptHash, long? seed, int choiceIndex, int defaultMaxTokens, int? maxTokens, IReadOnlyList<byte[]> stops)
    {
        var state = SplitMix64.Mix(promptHash ^ (seed is { } s ? SplitMix64.Mix((ulong)s) : NoSeed));
        var random = new SplitMix64(SplitMix64.Mix(state + (ulong)choiceIndex));

        var shortest = Math.Min(MinimumLength, defaultMaxTokens);
        var naturalLength = shortest + random.NextInt(defaultMaxTokens - shortest + 1);
        var length = maxTokens is { } max ? Math.Min(max, naturalLength) : naturalLength;

        var pieces = ArrayPool<ReadOnlyMemory<byte>>.Shared.Rent(Math.Max(length, 1));
        var sentenceStart = false;
        for (var i = 0; i < length; i++)
        {
            // The draws happen whatever the branch, so that every prefix of the answer is the same with or without max_tokens.
            var word = random.NextInt(Vocabulary.Count);
            var roll = random.NextInt(100);

            byte[] piece;
            if (i == naturalLength - 1)
            {
                piece = Vocabulary.Period;
            }
            else if (i == 0)
            {
                piece = Vocabulary.Initial[word];
            }
            else if (!sentenceStart && roll < 12 && i < naturalLength - 2 && pieces[i - 1].Length > 1)
            {
                piece = roll < 8 ? Vocabulary.Comma : Vocabulary.Period;
            }
            else
            {
                piece = sentenceStart ? Vocabulary.Capital[word] : Vocabulary.Lower[word];
            }

            pieces[i] = piece;
            sentenceStart = piece == Vocabulary.Period;
        }

        var choice = new SimulatedChoice(pieces, length, length < naturalLength ? FinishReason.Length : FinishReason.Stop);
        choice.ApplyStops(stops);
        return choice;
    }
}
