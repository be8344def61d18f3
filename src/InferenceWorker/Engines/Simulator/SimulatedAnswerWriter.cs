using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Metrics;

namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// Delivers a simulated answer at the simulator's pace: as OpenAI's SSE chunks, one token per content delta and an
/// event flushed each time, or as one JSON object once the last token is "generated". Generation counters move as
/// tokens are produced, so they stop when the client leaves.
/// </summary>
internal sealed class SimulatedAnswerWriter(TokenPacer pacer, WorkerMetrics metrics, TimeProvider time)
{
    /// <summary>Decode steps a <c>drop-mid-stream</c> fault lets through before it aborts the connection.</summary>
    public const int StepsBeforeDrop = 3;

    /// <summary>
    /// How long a <c>drop-mid-stream</c> fault waits between its last flush and the abort: Kestrel discards output it
    /// has not yet handed to the socket when a connection is aborted, and without the wait the "delivered" chunks (even
    /// the headers) could vanish with it, which would make the fault a failure before the first byte.
    /// </summary>
    private static readonly TimeSpan s_dropGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Streams the choices in lockstep, as a batch decodes them: chat role openers, then per step one content chunk per
    /// unfinished choice and a finish chunk for each choice that ends, then the usage chunk if asked, then <c>[DONE]</c>.
    /// </summary>
    public async Task StreamAsync(HttpContext context, CompletionEnvelope envelope, IReadOnlyList<SimulatedChoice> choices,
        int promptTokens, bool includeUsage, bool dropMidStream, long started)
    {
        var aborted = context.RequestAborted;
        await pacer.FirstTokenAsync(aborted);
        metrics.RecordTimeToFirstToken(time.GetElapsedTime(started));

        using var events = new ServerSentEvents(context.Response);
        if (envelope.Kind == GenerationKind.Chat)
        {
            for (var index = 0; index < choices.Count; index++)
            {
                OpenAIJson.WriteChunk(events.BeginEvent(), envelope, index, ChunkPart.Role, default, default, includeUsage);
                if (!Delivered(await events.EndEventAsync(aborted)))
                {
                    return;
                }
            }
        }

        var steps = Steps(choices);
        var dropAt = dropMidStream ? Math.Min(StepsBeforeDrop, steps - 1) : -1;
        var completionTokens = 0;
        for (var step = 0; step < steps; step++)
        {
            if (step == dropAt)
            {
                // Abort, not end: the client must see a broken stream, never one that looks complete.
                await Task.Delay(s_dropGrace, aborted);
                context.Abort();
                return;
            }

            if (step > 0)
            {
                await pacer.NextTokenAsync(aborted);
            }

            var produced = 0;
            for (var index = 0; index < choices.Count; index++)
            {
                var choice = choices[index];
                if (step < choice.Count)
                {
                    OpenAIJson.WriteChunk(events.BeginEvent(), envelope, index, ChunkPart.Content, choice.Piece(step), default, includeUsage);
                    produced++;
                    if (!Delivered(await events.EndEventAsync(aborted)))
                    {
                        metrics.AddGenerationTokens(produced);
                        return;
                    }
                }

                if (step == Math.Max(choice.Count, 1) - 1)
                {
                    OpenAIJson.WriteChunk(events.BeginEvent(), envelope, index, ChunkPart.Finish, default, choice.FinishReason, includeUsage);
                    metrics.AddSucceeded(choice.FinishReason);
                    if (!Delivered(await events.EndEventAsync(aborted)))
                    {
                        metrics.AddGenerationTokens(produced);
                        return;
                    }
                }
            }

            metrics.AddGenerationTokens(produced);
            completionTokens += produced;
        }

        if (includeUsage)
        {
            OpenAIJson.WriteUsageChunk(events.BeginEvent(), envelope, new TokenUsage(promptTokens, completionTokens));
            if (!Delivered(await events.EndEventAsync(aborted)))
            {
                return;
            }
        }

        await events.WriteDoneAsync(aborted);
    }

    /// <summary>Waits out the generation, then writes the whole <c>chat.completion</c> or <c>text_completion</c>.</summary>
    public async Task RespondAsync(HttpContext context, CompletionEnvelope envelope, IReadOnlyList<SimulatedChoice> choices,
        int promptTokens, bool dropBeforeBody, long started)
    {
        var aborted = context.RequestAborted;
        await pacer.FirstTokenAsync(aborted);
        metrics.RecordTimeToFirstToken(time.GetElapsedTime(started));

        var completionTokens = 0;
        foreach (var choice in choices)
        {
            completionTokens += choice.Count;
        }

        if (pacer.HasInterTokenDelay)
        {
            var steps = Steps(choices);
            for (var step = 0; step < steps; step++)
            {
                if (step > 0)
                {
                    await pacer.NextTokenAsync(aborted);
                }

                metrics.AddGenerationTokens(TokensAt(choices, step));
            }
        }
        else
        {
            metrics.AddGenerationTokens(completionTokens);
        }

        if (dropBeforeBody)
        {
            context.Abort();
            return;
        }

        var response = context.Response;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            OpenAIJson.WriteCompletionStart(writer, envelope);
            for (var index = 0; index < choices.Count; index++)
            {
                var choice = choices[index];
                var length = choice.Utf8Length;
                var text = ArrayPool<byte>.Shared.Rent(length);
                choice.CopyTo(text);
                OpenAIJson.WriteChoice(writer, envelope, index, text.AsSpan(0, length), choice.FinishReason);
                ArrayPool<byte>.Shared.Return(text);
                metrics.AddSucceeded(choice.FinishReason);
            }

            OpenAIJson.WriteCompletionEnd(writer, new TokenUsage(promptTokens, completionTokens));
        }

        await response.BodyWriter.FlushAsync(aborted);
    }

    /// <summary>Decode steps of a batch: its longest choice, and at least one so that even an empty answer finishes.</summary>
    private static int Steps(IReadOnlyList<SimulatedChoice> choices)
    {
        var steps = 1;
        foreach (var choice in choices)
        {
            steps = Math.Max(steps, choice.Count);
        }

        return steps;
    }

    private static int TokensAt(IReadOnlyList<SimulatedChoice> choices, int step)
    {
        var count = 0;
        foreach (var choice in choices)
        {
            if (step < choice.Count)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Whether the flushed event can still reach the client; a completed pipe means the connection is gone.</summary>
    private static bool Delivered(FlushResult result) => !result.IsCompleted && !result.IsCanceled;
}
