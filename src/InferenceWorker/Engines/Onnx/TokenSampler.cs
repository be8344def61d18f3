using System.Buffers;
using AiPlatform.InferenceWorker.Api;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// Picks the next token from a step's logits: the likeliest at temperature 0, otherwise a draw from the softmax at the
/// request's temperature, narrowed to the <c>top_k</c> likeliest and then to the smallest set holding <c>top_p</c> of the
/// probability (vLLM's order). A request's settings win, then the model's <c>generation_config.json</c>, then OpenAI's
/// defaults (temperature 1, top_p 1). With a <c>seed</c> the draws repeat exactly; choice i of n draws with seed + i.
/// Not thread-safe: one per choice.
/// </summary>
internal sealed class TokenSampler
{
    private readonly double _temperature;
    private readonly double _topP;
    private readonly int _topK;
    private readonly Random _random;

    private TokenSampler(double temperature, double topP, int topK, Random random)
    {
        (_temperature, _topP, _topK, _random) = (temperature, topP, topK, random);
    }

    public bool IsGreedy => _temperature == 0;

    public static TokenSampler For(GenerationRequest request, ModelConfig config, int choice)
    {
        // A model whose authors turned sampling off decodes greedily unless the request asks for a temperature.
        var temperature = request.Temperature ?? (config.DoSample == false ? 0 : config.Temperature ?? 1.0);
        var random = request.Seed is { } seed ? new Random(unchecked((int)(seed + choice))) : new Random();
        return new TokenSampler(temperature, request.TopP ?? config.TopP ?? 1.0, request.TopK ?? config.TopK ?? 0, random);
    }

    public int Next(ReadOnlySpan<float> logits)
    {
        if (IsGreedy)
        {
            return ArgMax(logits);
        }

        var order = ArrayPool<int>.Shared.Rent(logits.Length);
        var keys = ArrayPool<double>.Shared.Rent(logits.Length);
        try
        {
            return Draw(logits, order, keys);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<double>.Shared.Return(keys);
        }
    }

    /// <summary>
    /// Draws from <paramref name="logits"/>: <paramref name="order"/> gets the token ids sorted by falling probability,
    /// <paramref name="keys"/> minus each one's unnormalised probability (the ascending sort's keys).
    /// </summary>
    private int Draw(ReadOnlySpan<float> logits, int[] order, double[] keys)
    {
        var count = logits.Length;
        var max = logits[ArgMax(logits)];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
            keys[i] = -Math.Exp((logits[i] - max) / _temperature);
        }

        // Top-k, then top-p, keep a prefix of the tokens in falling probability.
        Array.Sort(keys, order, 0, count);
        var kept = _topK > 0 ? Math.Min(_topK, count) : count;
        var total = 0.0;
        for (var i = 0; i < kept; i++)
        {
            total -= keys[i];
        }

        if (_topP < 1.0)
        {
            var mass = 0.0;
            for (var i = 0; i < kept; i++)
            {
                mass -= keys[i];
                if (mass >= _topP * total)
                {
                    (kept, total) = (i + 1, mass);
                    break;
                }
            }
        }

        var draw = _random.NextDouble() * total;
        for (var i = 0; i < kept; i++)
        {
            draw += keys[i];
            if (draw <= 0)
            {
                return order[i];
            }
        }

        return order[kept - 1];
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
