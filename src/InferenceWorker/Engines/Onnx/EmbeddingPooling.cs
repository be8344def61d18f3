using System.Text.Json;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

internal enum PoolingMode
{
    Mean,
    Cls,
    Max,
    LastToken,
}

/// <summary>
/// How an encoder's token vectors become one embedding, as a sentence-transformers folder says: <c>1_Pooling/config.json</c>
/// (mean, CLS, max or last token) and a <c>Normalize</c> module in <c>modules.json</c>. Without those files: mean pooling
/// and unit length, what embedding APIs answer (OpenAI's embeddings are normalised).
/// </summary>
internal sealed record EmbeddingPooling(PoolingMode Mode, bool Normalize)
{
    public static EmbeddingPooling Read(string folder)
    {
        var mode = PoolingMode.Mean;
        var poolingPath = Path.Combine(folder, "1_Pooling", "config.json");
        if (File.Exists(poolingPath))
        {
            using var pooling = Parse(poolingPath);
            var root = pooling.RootElement;
            mode = On(root, "pooling_mode_cls_token") ? PoolingMode.Cls
                : On(root, "pooling_mode_max_tokens") ? PoolingMode.Max
                : On(root, "pooling_mode_lasttoken") ? PoolingMode.LastToken
                : On(root, "pooling_mode_mean_tokens") ? PoolingMode.Mean
                : throw new OnnxModelException($"{poolingPath} turns on no pooling mode the onnx engine supports (mean, cls, max, lasttoken).");
        }

        var modulesPath = Path.Combine(folder, "modules.json");
        if (!File.Exists(modulesPath))
        {
            return new EmbeddingPooling(mode, Normalize: true);
        }

        using var modules = Parse(modulesPath);
        var normalize = modules.RootElement.ValueKind == JsonValueKind.Array && modules.RootElement.EnumerateArray().Any(m =>
            m.ValueKind == JsonValueKind.Object && m.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString()!.EndsWith(".Normalize", StringComparison.Ordinal));
        return new EmbeddingPooling(mode, normalize);
    }

    /// <summary>Pools row <paramref name="row"/> of [batch, sequence, hidden] token vectors over its real tokens (<paramref name="length"/>) into <paramref name="embedding"/>.</summary>
    public void Pool(ReadOnlySpan<float> tokens, int sequence, int row, int length, Span<float> embedding)
    {
        var hidden = embedding.Length;
        var rowStart = row * sequence * hidden;
        switch (Mode)
        {
            case PoolingMode.Cls:
                tokens.Slice(rowStart, hidden).CopyTo(embedding);
                break;
            case PoolingMode.LastToken:
                tokens.Slice(rowStart + ((length - 1) * hidden), hidden).CopyTo(embedding);
                break;
            case PoolingMode.Max:
                tokens.Slice(rowStart, hidden).CopyTo(embedding);
                for (var t = 1; t < length; t++)
                {
                    var vector = tokens.Slice(rowStart + (t * hidden), hidden);
                    for (var h = 0; h < hidden; h++)
                    {
                        embedding[h] = Math.Max(embedding[h], vector[h]);
                    }
                }

                break;
            default:
                embedding.Clear();
                for (var t = 0; t < length; t++)
                {
                    var vector = tokens.Slice(rowStart + (t * hidden), hidden);
                    for (var h = 0; h < hidden; h++)
                    {
                        embedding[h] += vector[h];
                    }
                }

                for (var h = 0; h < hidden; h++)
                {
                    embedding[h] /= length;
                }

                break;
        }

        if (Normalize)
        {
            ToUnitLength(embedding);
        }
    }

    public static void ToUnitLength(Span<float> vector)
    {
        var sum = 0.0;
        foreach (var value in vector)
        {
            sum += value * (double)value;
        }

        if (sum > 0)
        {
            var scale = (float)(1 / Math.Sqrt(sum));
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] *= scale;
            }
        }
    }

    private static bool On(JsonElement root, string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new OnnxModelException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
