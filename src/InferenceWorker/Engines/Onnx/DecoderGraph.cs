using Microsoft.ML.OnnxRuntime;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// The inputs and outputs of a decoder exported by Optimum, checked once at start: <c>input_ids</c>, optionally
/// <c>attention_mask</c>, <c>position_ids</c> and (merged exports) <c>use_cache_branch</c>; a KV cache as pairs
/// <c>past_key_values.N.key/value</c> in and <c>present.N.key/value</c> out, shaped [batch, kv heads, sequence, head
/// size]; <c>logits</c> out. Anything else (another input, float16 tensors) is refused with the name of what is wrong.
/// </summary>
internal sealed class DecoderGraph
{
    private DecoderGraph(int vocabulary, string[] pastNames, string[] presentNames, int kvHeads, int headSize, bool attentionMask, bool positionIds, bool cacheBranch)
    {
        Vocabulary = vocabulary;
        PastNames = pastNames;
        PresentNames = presentNames;
        KvHeads = kvHeads;
        HeadSize = headSize;
        HasAttentionMask = attentionMask;
        HasPositionIds = positionIds;
        HasCacheBranch = cacheBranch;
    }

    /// <summary>The last dimension of <c>logits</c>: one score per token of the vocabulary.</summary>
    public int Vocabulary { get; }

    /// <summary><c>past_key_values.0.key</c>, <c>past_key_values.0.value</c>, <c>past_key_values.1.key</c> …; empty without a cache.</summary>
    public string[] PastNames { get; }

    /// <summary>The matching <c>present.N.key/value</c> outputs, in the same order.</summary>
    public string[] PresentNames { get; }

    public bool HasKvCache => PastNames.Length > 0;

    public int KvHeads { get; }

    public int HeadSize { get; }

    public bool HasAttentionMask { get; }

    public bool HasPositionIds { get; }

    public bool HasCacheBranch { get; }

    public static DecoderGraph Inspect(InferenceSession session, string modelPath, ModelConfig config, int tokenizerVocabulary)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        Require(inputs, "input_ids", typeof(long), modelPath, "input");
        Require(outputs, "logits", typeof(float), modelPath, "output");
        var pastNames = inputs.Keys.Where(n => n.StartsWith("past_key_values.", StringComparison.Ordinal)).OrderBy(LayerOf).ThenBy(n => n, StringComparer.Ordinal).ToArray();
        var known = new HashSet<string>(["input_ids", "attention_mask", "position_ids", "use_cache_branch", .. pastNames], StringComparer.Ordinal);
        if (inputs.Keys.FirstOrDefault(n => !known.Contains(n)) is { } unknown)
        {
            throw new OnnxModelException($"{modelPath} takes an input '{unknown}' the onnx engine does not know how to fill (it fills input_ids, attention_mask, position_ids, use_cache_branch and past_key_values.N.key/value).");
        }

        var presentNames = pastNames.Select(n => "present." + n["past_key_values.".Length..]).ToArray();
        if (presentNames.FirstOrDefault(n => !outputs.ContainsKey(n)) is { } missing)
        {
            throw new OnnxModelException($"{modelPath} takes a KV cache but gives no '{missing}' output to continue it.");
        }

        var (kvHeads, headSize) = (0, 0);
        foreach (var name in pastNames)
        {
            Require(inputs, name, typeof(float), modelPath, "input");
            var dims = inputs[name].Dimensions;
            if (dims.Length != 4)
            {
                throw new OnnxModelException($"{modelPath}: '{name}' has {dims.Length} dimensions; the engine supports [batch, heads, sequence, head size].");
            }

            (kvHeads, headSize) = (dims[1] > 0 ? dims[1] : config.KvHeads ?? 0, dims[3] > 0 ? dims[3] : config.HeadSize ?? 0);
            if (kvHeads <= 0 || headSize <= 0)
            {
                throw new OnnxModelException($"{modelPath}: the heads and head size of '{name}' are not fixed in the graph, and config.json does not give them (num_key_value_heads, head_dim or hidden_size / num_attention_heads).");
            }
        }

        var logits = outputs["logits"].Dimensions;
        var vocabulary = logits.Length == 3 && logits[2] > 0 ? logits[2] : tokenizerVocabulary;
        return new DecoderGraph(vocabulary, pastNames, presentNames, kvHeads, headSize,
            inputs.ContainsKey("attention_mask"), inputs.ContainsKey("position_ids"), inputs.ContainsKey("use_cache_branch"));
    }

    private static int LayerOf(string pastName) =>
        int.TryParse(pastName.Split('.')[1], out var layer) ? layer : int.MaxValue;

    private static void Require(IReadOnlyDictionary<string, NodeMetadata> values, string name, Type type, string modelPath, string kind)
    {
        if (!values.TryGetValue(name, out var metadata))
        {
            throw new OnnxModelException($"{modelPath} has no '{name}' {kind}; the onnx engine serves decoders exported by Optimum (input_ids in, logits out).");
        }

        if (metadata.ElementType != type)
        {
            throw new OnnxModelException($"{modelPath}: '{name}' holds {metadata.ElementType.Name}; the onnx engine supports {type.Name} (export in float32).");
        }
    }
}
