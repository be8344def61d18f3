using System.Buffers;
using System.Text.Json;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Responses;

/// <summary>A non-streamed chat completion as the Responses API answer to the request it was translated from.</summary>
internal static class ChatAnswerTranslator
{
    /// <summary>The Responses answer, or null when <paramref name="chatAnswer"/> is no chat completion (then the caller says the upstream failed).</summary>
    public static byte[]? Translate(ReadOnlySpan<byte> chatAnswer, JsonElement request)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(chatAnswer.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var answer = document.RootElement;
            if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var response = new ResponseObject(request);
            response.Identify(StringOf(answer, "id"), answer.TryGetProperty("created", out var created) && created.TryGetInt64(out var at) ? at : 0,
                StringOf(answer, "model"));
            if (choices.GetArrayLength() > 0 && choices[0] is { ValueKind: JsonValueKind.Object } choice)
            {
                response.FinishReason = StringOf(choice, "finish_reason");
                if (choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
                {
                    Read(message, response);
                }
            }

            if (UsageReader.TryRead(chatAnswer, out var usage, out _))
            {
                response.Usage = usage;
            }

            var buffer = new ArrayBufferWriter<byte>(chatAnswer.Length + 1024);
            using (var writer = new Utf8JsonWriter(buffer, ResponseObject.WriterOptions))
            {
                response.WriteTo(writer);
            }

            return buffer.WrittenSpan.ToArray();
        }
    }

    private static void Read(JsonElement message, ResponseObject response)
    {
        if (StringOf(message, "content") is { } content)
        {
            response.StartText().Append(content);
        }
        else if (StringOf(message, "refusal") is { } refusal)
        {
            response.StartText().Append(refusal);
        }

        if (!message.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var call in calls.EnumerateArray())
        {
            if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
            {
                var functionCall = new ResponseObject.FunctionCall(StringOf(call, "id") ?? "call_" + Guid.NewGuid().ToString("n"), StringOf(function, "name") ?? "");
                functionCall.Arguments.Append(StringOf(function, "arguments"));
                response.Calls.Add(functionCall);
            }
        }
    }

    internal static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
