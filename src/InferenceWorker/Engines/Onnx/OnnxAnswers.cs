using System.Text;
using System.Text.Json;
using AiPlatform.InferenceWorker.Api;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>Produces one choice, handing each piece of its text to the callback as it becomes final.</summary>
internal delegate Task<GeneratedChoice> ChoiceProducer(IReadOnlyList<int> prompt, int choice, Func<string, ValueTask> onText);

/// <summary>
/// Writes the onnx engine's answers in OpenAI's shapes, as the other engines do: a whole <c>chat.completion</c> or
/// <c>text_completion</c>, or SSE chunks, a content chunk per piece of text as it is generated. Choices of a streamed
/// request with <c>n</c> &gt; 1 follow one another (each chunk names its index).
/// </summary>
internal static class OnnxAnswers
{
    public static async Task StreamAsync(HttpContext context, CompletionEnvelope envelope, GenerationRequest request,
        IReadOnlyList<IReadOnlyList<int>> prompts, int promptTokens, ChoiceProducer produce)
    {
        var aborted = context.RequestAborted;
        using var events = new ServerSentEvents(context.Response);
        var completionTokens = 0;
        var index = 0;
        foreach (var prompt in prompts)
        {
            for (var n = 0; n < request.N; n++, index++)
            {
                var choice = index;
                if (envelope.Kind == GenerationKind.Chat)
                {
                    OpenAIJson.WriteChunk(events.BeginEvent(), envelope, choice, ChunkPart.Role, default, default, request.IncludeUsage);
                    await SendAsync(events, aborted);
                }

                var generated = await produce(prompt, choice, async piece =>
                {
                    OpenAIJson.WriteChunk(events.BeginEvent(), envelope, choice, ChunkPart.Content, Encoding.UTF8.GetBytes(piece), default, request.IncludeUsage);
                    await SendAsync(events, aborted);
                });
                OpenAIJson.WriteChunk(events.BeginEvent(), envelope, choice, ChunkPart.Finish, default, generated.FinishReason, request.IncludeUsage);
                await SendAsync(events, aborted);
                completionTokens += generated.CompletionTokens;
            }
        }

        if (request.IncludeUsage)
        {
            OpenAIJson.WriteUsageChunk(events.BeginEvent(), envelope, new TokenUsage(promptTokens, completionTokens));
            await SendAsync(events, aborted);
        }

        await events.WriteDoneAsync(aborted);
    }

    public static async Task RespondAsync(HttpContext context, CompletionEnvelope envelope, IReadOnlyList<GeneratedChoice> choices, int promptTokens)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            OpenAIJson.WriteCompletionStart(writer, envelope);
            for (var index = 0; index < choices.Count; index++)
            {
                OpenAIJson.WriteChoice(writer, envelope, index, Encoding.UTF8.GetBytes(choices[index].Text), choices[index].FinishReason);
            }

            OpenAIJson.WriteCompletionEnd(writer, new TokenUsage(promptTokens, choices.Sum(c => c.CompletionTokens)));
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>Flushes an event; a connection that is gone ends the generation as a cancellation does.</summary>
    private static async ValueTask SendAsync(ServerSentEvents events, CancellationToken aborted)
    {
        var result = await events.EndEventAsync(aborted);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new OperationCanceledException(aborted);
        }
    }
}
