namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// Deterministic unit vectors for the simulator's embeddings: components drawn in [-1, 1) by a
/// <see cref="SplitMix64"/> seeded with the input's <see cref="StableHash"/>, then L2-normalised. A shorter vector
/// (the <c>dimensions</c> parameter) is the longer one's prefix renormalised, like a Matryoshka embedding.
/// </summary>
internal static class EmbeddingGenerator
{
    public static void Generate(ulong inputHash, Span<float> vector)
    {
        var random = new SplitMix64(SplitMix64.Mix(inputHash ^ 0xE3B_0000_0000_0000));
        double sumOfSquares = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            var value = random.NextSignedFloat();
            vector[i] = value;
            sumOfSquares += (double)value * value;
        }

        if (sumOfSquares == 0)
        {
            vector[0] = 1;
            return;
        }

        var scale = (float)(1 / Math.Sqrt(sumOfSquares));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] *= scale;
        }
    }
}
