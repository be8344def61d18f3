using AiPlatform.InferenceWorker.Api;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.ML.OnnxRuntime;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// Embeds a request's inputs in one run of an encoder: the inputs tokenized with the model's special tokens (or taken
/// as the token ids the client sent), padded on the right to the longest, masked, then pooled and normalised as the
/// model's folder says (<see cref="EmbeddingPooling"/>), or taken from the graph's own <c>sentence_embedding</c>.
/// </summary>
internal static class EncoderRun
{
    public static bool TryTokenize(EncoderModel model, IReadOnlyList<TextOrTokenIds> inputs, out long[][] tokens, out ApiError error)
    {
        error = null!;
        tokens = new long[inputs.Count][];
        for (var i = 0; i < inputs.Count; i++)
        {
            if (!model.TryTokens(inputs[i], $"input[{i}]", out var ids, out var problem))
            {
                error = ApiError.BadRequest(problem, "input");
                return false;
            }

            tokens[i] = [.. ids.Select(t => (long)t)];
            if (model.Config.MaxPositions is { } limit && tokens[i].Length > limit)
            {
                error = new ApiError(StatusCodes.Status400BadRequest,
                    $"This model's maximum context length is {limit} tokens. However, input[{i}] has {tokens[i].Length} tokens. Please reduce the length of the input.",
                    ApiErrorTypes.InvalidRequest, "context_length_exceeded", "input");
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Inputs run this many at a time, so that one request's memory is bounded by the batch rather than by how many
    /// inputs it sends (each batch pads to its own longest input).
    /// </summary>
    private const int MaxBatch = 32;

    public static float[][] Embed(EncoderModel model, long[][] tokens, CancellationToken cancellationToken)
    {
        var vectors = new float[tokens.Length][];
        for (var start = 0; start < tokens.Length; start += MaxBatch)
        {
            var batch = tokens[start..Math.Min(tokens.Length, start + MaxBatch)];
            EmbedBatch(model, batch, cancellationToken).CopyTo(vectors, start);
        }

        return vectors;
    }

    private static float[][] EmbedBatch(EncoderModel model, long[][] tokens, CancellationToken cancellationToken)
    {
        var batch = tokens.Length;
        var width = tokens.Max(t => t.Length);
        var ids = new long[batch * width];
        var mask = new long[batch * width];
        Array.Fill(ids, model.Tokenizer.PadTokenId ?? 0);
        for (var row = 0; row < batch; row++)
        {
            tokens[row].CopyTo(ids, row * width);
            Array.Fill(mask, 1, row * width, tokens[row].Length);
        }

        long[] shape = [batch, width];
        var graph = model.Graph;
        var names = new List<string> { "input_ids" };
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[batch * width], shape);
        var values = new List<OrtValue> { idsValue };
        if (graph.HasAttentionMask)
        {
            names.Add("attention_mask");
            values.Add(maskValue);
        }

        if (graph.HasTokenTypes)
        {
            names.Add("token_type_ids");
            values.Add(typesValue);
        }

        using var run = new RunOptions();
        using var stop = cancellationToken.Register(static r => ((RunOptions)r!).Terminate = true, run);
        using var outputs = Run(model, run, names, values, cancellationToken);
        var output = outputs[0].GetTensorDataAsSpan<float>();
        var vectors = new float[batch][];
        for (var row = 0; row < batch; row++)
        {
            vectors[row] = new float[graph.Hidden];
            if (graph.IsPooled)
            {
                output.Slice(row * graph.Hidden, graph.Hidden).CopyTo(vectors[row]);
                if (model.Pooling.Normalize)
                {
                    EmbeddingPooling.ToUnitLength(vectors[row]);
                }
            }
            else
            {
                model.Pooling.Pool(output, width, row, tokens[row].Length, vectors[row]);
            }
        }

        return vectors;
    }

    private static IDisposableReadOnlyCollection<OrtValue> Run(EncoderModel model, RunOptions run, List<string> names, List<OrtValue> values,
        CancellationToken cancellationToken)
    {
        try
        {
            return model.Session.Run(run, names, values, [model.Graph.Output]);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
