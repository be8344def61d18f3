using System.Buffers;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Telemetry;

/// <summary>
/// Prompts and answers in the GenAI conventions' message shape (<c>[{"role", "parts": [{"type": "text", "content"}]}]</c>)
/// for <c>gen_ai.input.messages</c> and <c>gen_ai.output.messages</c>, only when content capture is switched on. Parts
/// other than text and tool calls are named by type only: an image's bytes do not belong in a span.
/// </summary>
internal static class GenAiMessages
{
    /// <summary>
    /// The request's messages (chat) or prompt (completions); null for the operations that hold no conversation
    /// (embeddings, moderations, rerank) or a body without them.
    /// </summary>
    public static string? Input(InferenceOperation operation, ReadOnlySpan<byte> body)
    {
        if (operation is not (InferenceOperation.ChatCompletions or InferenceOperation.Completions))
        {
            return null;
        }

        var reader = new Utf8JsonReader(body);
        if (!JsonElement.TryParseValue(ref reader, out var root) || root is not { ValueKind: JsonValueKind.Object } request)
        {
            return null;
        }

        return Write(writer =>
        {
            if (operation == InferenceOperation.ChatCompletions && request.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in messages.EnumerateArray())
                {
                    WriteChatMessage(writer, message);
                }
            }
            else if (request.TryGetProperty("prompt", out var prompt))
            {
                WriteMessage(writer, "user", prompt.ValueKind == JsonValueKind.String ? prompt.GetString() : prompt.GetRawText(), finishReason: null);
            }
        });
    }

    /// <summary>The answer's text as the assistant's message, with the first choice's finish reason.</summary>
    public static string Output(string text, IReadOnlyList<string>? finishReasons) =>
        Write(writer => WriteMessage(writer, "assistant", text, finishReasons is [var first, ..] ? first : null));

    private static void WriteChatMessage(Utf8JsonWriter writer, JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "user";
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteStartArray("parts");
        if (message.TryGetProperty("content", out var content))
        {
            if (role == "tool")
            {
                writer.WriteStartObject();
                writer.WriteString("type", "tool_call_response");
                WriteStringMember(writer, message, "tool_call_id", "id");
                writer.WriteString("response", content.ValueKind == JsonValueKind.String ? content.GetString() : content.GetRawText());
                writer.WriteEndObject();
            }
            else
            {
                WriteContentParts(writer, content);
            }
        }

        if (message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("type", "tool_call");
                WriteStringMember(writer, call, "id", "id");
                WriteStringMember(writer, function, "name", "name");
                WriteStringMember(writer, function, "arguments", "arguments");
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteContentParts(Utf8JsonWriter writer, JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteTextPart(writer, content.GetString());
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            if (type.ValueEquals("text"u8) && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                WriteTextPart(writer, text.GetString());
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("type", type.GetString());
                writer.WriteEndObject();
            }
        }
    }

    private static void WriteMessage(Utf8JsonWriter writer, string role, string? text, string? finishReason)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteStartArray("parts");
        WriteTextPart(writer, text);
        writer.WriteEndArray();
        if (finishReason is not null)
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
    }

    private static void WriteTextPart(Utf8JsonWriter writer, string? text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("content", text);
        writer.WriteEndObject();
    }

    private static void WriteStringMember(Utf8JsonWriter writer, JsonElement source, string name, string writtenAs)
    {
        if (source.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            writer.WriteString(writtenAs, value.GetString());
        }
    }

    private static string Write(Action<Utf8JsonWriter> writeMessages)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writeMessages(writer);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
