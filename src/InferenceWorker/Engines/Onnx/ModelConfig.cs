using System.Text.Json;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// What the engine reads from a model folder's <c>config.json</c> and <c>generation_config.json</c>: the context length,
/// the end-of-sequence tokens (both files may name them, as one id or a list), and the sampling defaults the model's
/// authors chose, which apply when a request does not set its own (as vLLM applies them).
/// </summary>
internal sealed record ModelConfig(
    int? MaxPositions,
    int? KvHeads,
    int? HeadSize,
    IReadOnlySet<int> EndOfSequence,
    bool? DoSample,
    double? Temperature,
    double? TopP,
    int? TopK)
{
    public static ModelConfig Read(string folder)
    {
        using var config = ReadJson(folder, "config.json", required: true)!;
        using var generation = ReadJson(folder, "generation_config.json", required: false);
        var root = config.RootElement;
        var eos = new HashSet<int>();
        AddIds(root, "eos_token_id", eos);
        var maxPositions = Int(root, "max_position_embeddings") ?? Int(root, "n_positions") ?? Int(root, "max_sequence_length");
        var heads = Int(root, "num_attention_heads");
        var kvHeads = Int(root, "num_key_value_heads") ?? heads;
        var headSize = Int(root, "head_dim") ?? (Int(root, "hidden_size") is { } hidden && heads is > 0 ? hidden / heads : null);
        if (generation?.RootElement is not { } defaults)
        {
            return new ModelConfig(maxPositions, kvHeads, headSize, eos, null, null, null, null);
        }

        AddIds(defaults, "eos_token_id", eos);
        return new ModelConfig(maxPositions, kvHeads, headSize, eos,
            defaults.TryGetProperty("do_sample", out var sample) && sample.ValueKind is JsonValueKind.True or JsonValueKind.False ? sample.GetBoolean() : null,
            Number(defaults, "temperature"), Number(defaults, "top_p"), Int(defaults, "top_k"));
    }

    private static JsonDocument? ReadJson(string folder, string file, bool required)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            return required ? throw new OnnxModelException($"The model folder {folder} has no {file}.") : null;
        }

        try
        {
            var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document
                : throw new OnnxModelException($"{path} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new OnnxModelException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static void AddIds(JsonElement root, string name, HashSet<int> ids)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id))
        {
            ids.Add(id);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            ids.UnionWith(value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out _)).Select(v => v.GetInt32()));
        }
    }

    private static int? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
