using Microsoft.ML.OnnxRuntime;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// The inputs and outputs of an encoder exported by Optimum or sentence-transformers: <c>input_ids</c>, optionally
/// <c>attention_mask</c> and <c>token_type_ids</c>; out either <c>sentence_embedding</c> [batch, hidden] (pooled in the
/// graph) or <c>last_hidden_state</c>/<c>token_embeddings</c> [batch, sequence, hidden], pooled by the engine.
/// </summary>
internal sealed record EncoderGraph(string Output, bool IsPooled, int Hidden, bool HasAttentionMask, bool HasTokenTypes)
{
    private static readonly string[] s_tokenOutputs = ["last_hidden_state", "token_embeddings"];

    public static EncoderGraph Inspect(InferenceSession session, string modelPath)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        if (!inputs.TryGetValue("input_ids", out var ids) || ids.ElementType != typeof(long))
        {
            throw new OnnxModelException($"{modelPath} has no int64 'input_ids' input; the onnx engine serves Optimum's exports.");
        }

        if (inputs.Keys.FirstOrDefault(n => n is not ("input_ids" or "attention_mask" or "token_type_ids")) is { } unknown)
        {
            throw new OnnxModelException($"{modelPath} takes an input '{unknown}' the onnx engine does not know how to fill (it fills input_ids, attention_mask and token_type_ids).");
        }

        var (output, pooled) = outputs.ContainsKey("sentence_embedding")
            ? ("sentence_embedding", true)
            : (s_tokenOutputs.FirstOrDefault(outputs.ContainsKey)
                ?? throw new OnnxModelException($"{modelPath} gives neither logits (a decoder) nor sentence_embedding, last_hidden_state or token_embeddings (an encoder)."), false);
        var metadata = outputs[output];
        if (metadata.ElementType != typeof(float))
        {
            throw new OnnxModelException($"{modelPath}: '{output}' holds {metadata.ElementType.Name}; the onnx engine supports Single (export in float32).");
        }

        var hidden = metadata.Dimensions[^1];
        if (hidden <= 0 || metadata.Dimensions.Length != (pooled ? 2 : 3))
        {
            throw new OnnxModelException($"{modelPath}: '{output}' must be [batch, {(pooled ? "" : "sequence, ")}hidden] with a fixed hidden size.");
        }

        return new EncoderGraph(output, pooled, hidden, inputs.ContainsKey("attention_mask"), inputs.ContainsKey("token_type_ids"));
    }
}
