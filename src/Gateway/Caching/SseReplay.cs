using System.Buffers;
using System.Text.Json;
using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Caching;

/// <summary>
/// Serves a cached (non-streamed) answer to a streaming client in OpenAI's chunk format: per choice a role chunk,
/// a content chunk, a finish chunk; then the usage chunk when the client asked for it (every other chunk then
/// carries <c>"usage": null</c>, as OpenAI's do); then <c>[DONE]</c>.
/// </summary>
public static class SseReplay
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
    private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> cachedJson, InferenceOperation operation, bool includeUsage)
    {
        using var document = JsonDocument.Parse(cachedJson.ToArray());
        var root = document.RootElement;
        var chat = operation == InferenceOperation.ChatCompletions;
        var envelope = new Envelope(root, chat ? "chat.completion.chunk" : "text_completion", includeUsage);
        using var writer = new Utf8JsonWriter(output);

        foreach (var choice in root.GetProperty("choices").EnumerateArray())
        {
            var index = choice.GetProperty("index").GetInt32();
            if (chat)
            {
                var message = choice.GetProperty("message");
                WriteChunk(output, writer, envelope, w => WriteChatChoice(w, index, d =>
                {
                    d.WriteString("role", message.TryGetProperty("role", out var role) ? role.GetString() : "assistant");
                    d.WriteString("content", "");
                }, null));
                WriteChunk(output, writer, envelope, w => WriteChatChoice(w, index, d => WriteMessageBody(d, message), null));
                WriteChunk(output, writer, envelope, w => WriteChatChoice(w, index, _ => { }, FinishReason(choice)));
            }
            else
            {
                var text = choice.TryGetProperty("text", out var t) ? t.GetString() : "";
                WriteChunk(output, writer, envelope, w => WriteTextChoice(w, index, text, null));
                WriteChunk(output, writer, envelope, w => WriteTextChoice(w, index, "", FinishReason(choice)));
            }
        }

        if (includeUsage && root.TryGetProperty("usage", out var usage))
        {
            WriteChunk(output, writer, envelope with { Usage = usage }, null);
        }

        output.Write(Done);
    }

    private static string? FinishReason(JsonElement choice) =>
        choice.TryGetProperty("finish_reason", out var finish) ? finish.GetString() : "stop";

    /// <summary>The message's content and anything else it carries (tool calls get the <c>index</c> deltas need).</summary>
    private static void WriteMessageBody(Utf8JsonWriter delta, JsonElement message)
    {
        foreach (var field in message.EnumerateObject())
        {
            if (field.NameEquals("role"))
            {
                continue;
            }

            if (field.NameEquals("tool_calls") && field.Value.ValueKind == JsonValueKind.Array)
            {
                delta.WriteStartArray("tool_calls");
                var i = 0;
                foreach (var call in field.Value.EnumerateArray())
                {
                    delta.WriteStartObject();
                    delta.WriteNumber("index", i++);
                    foreach (var part in call.EnumerateObject())
                    {
                        part.WriteTo(delta);
                    }

                    delta.WriteEndObject();
                }

                delta.WriteEndArray();
                continue;
            }

            field.WriteTo(delta);
        }
    }

    private static void WriteChatChoice(Utf8JsonWriter w, int index, Action<Utf8JsonWriter> writeDelta, string? finishReason)
    {
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        writeDelta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        WriteFinish(w, finishReason);
        w.WriteEndObject();
    }

    private static void WriteTextChoice(Utf8JsonWriter w, int index, string? text, string? finishReason)
    {
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteString("text", text);
        w.WriteNull("logprobs");
        WriteFinish(w, finishReason);
        w.WriteEndObject();
    }

    private static void WriteFinish(Utf8JsonWriter w, string? finishReason)
    {
        if (finishReason is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finishReason);
        }
    }

    private static void WriteChunk(IBufferWriter<byte> output, Utf8JsonWriter writer, Envelope envelope, Action<Utf8JsonWriter>? writeChoice)
    {
        output.Write(DataPrefix);
        writer.Reset(output);
        writer.WriteStartObject();
        CopyIfPresent(writer, envelope.Root, "id");
        writer.WriteString("object", envelope.ObjectName);
        CopyIfPresent(writer, envelope.Root, "created");
        CopyIfPresent(writer, envelope.Root, "model");
        CopyIfPresent(writer, envelope.Root, "system_fingerprint");
        writer.WriteStartArray("choices");
        writeChoice?.Invoke(writer);
        writer.WriteEndArray();
        if (envelope.Usage is { } usage)
        {
            writer.WritePropertyName("usage");
            usage.WriteTo(writer);
        }
        else if (envelope.IncludeUsage)
        {
            writer.WriteNull("usage");
        }

        writer.WriteEndObject();
        writer.Flush();
        output.Write(EventEnd);
    }

    private static void CopyIfPresent(Utf8JsonWriter writer, JsonElement root, string name)
    {
        if (root.TryGetProperty(name, out var value))
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    private readonly record struct Envelope(JsonElement Root, string ObjectName, bool IncludeUsage)
    {
        public JsonElement? Usage { get; init; }
    }
}
