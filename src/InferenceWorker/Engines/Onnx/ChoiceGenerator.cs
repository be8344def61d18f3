using System.Buffers;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Metrics;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>What one choice came to: its text, why it ended, and the tokens generated (an end-of-sequence token included).</summary>
internal sealed record GeneratedChoice(string Text, FinishReason FinishReason, int CompletionTokens);

/// <summary>
/// Generates one choice: prefill, then a token per step until an end-of-sequence token, a stop string or the token
/// limit, each token decoded as it comes and handed to <c>onText</c> (a streamed answer's chunk) once it is whole text
/// that cannot be part of a stop string. Stops between steps when the client goes away.
/// </summary>
internal static class ChoiceGenerator
{
    /// <summary>
    /// Runs the choice to its end. <paramref name="onText"/> gets each piece of text as it becomes final (null when
    /// nothing streams); <paramref name="onFirstToken"/> is called once the prefill has given the first token.
    /// </summary>
    public static async Task<GeneratedChoice> GenerateAsync(DecoderModel model, IReadOnlyList<int> prompt, TokenSampler sampler, int maxTokens,
        IReadOnlyList<string> stop, WorkerMetrics metrics, Func<string, ValueTask>? onText, Action? onFirstToken, CancellationToken cancellationToken)
    {
        using var sequence = new DecoderSequence(model.Session, model.Graph, prompt);
        var decoder = model.Tokenizer.NewStreamingDecoder(skipSpecialTokens: true);
        var stops = new StopStrings(stop);
        var text = new System.Text.StringBuilder();
        var logits = ArrayPool<float>.Shared.Rent(model.Graph.Vocabulary);
        var finish = FinishReason.Length;
        var generated = 0;
        try
        {
            while (generated < maxTokens)
            {
                // ONNX Runtime's run is CPU (or GPU) work that blocks; off the request's thread so Kestrel's stay free.
                await Task.Run(() => sequence.Forward(logits.AsSpan(0, model.Graph.Vocabulary), cancellationToken), cancellationToken);
                if (generated == 0)
                {
                    onFirstToken?.Invoke();
                }

                var token = sampler.Next(logits.AsSpan(0, model.Graph.Vocabulary));
                generated++;
                metrics.AddGenerationTokens(1);
                if (model.EndOfSequence.Contains(token))
                {
                    finish = FinishReason.Stop;
                    break;
                }

                await EmitAsync(stops.Push(decoder.Append(token)));
                if (stops.Stopped)
                {
                    finish = FinishReason.Stop;
                    break;
                }

                sequence.Append(token);
            }

            if (!stops.Stopped)
            {
                await EmitAsync(stops.Push(decoder.Flush()));
                await EmitAsync(stops.Flush());
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(logits);
        }

        metrics.AddSucceeded(finish);
        return new GeneratedChoice(text.ToString(), finish, generated);

        async ValueTask EmitAsync(string piece)
        {
            if (piece.Length == 0)
            {
                return;
            }

            text.Append(piece);
            if (onText is not null)
            {
                await onText(piece);
            }
        }
    }
}
