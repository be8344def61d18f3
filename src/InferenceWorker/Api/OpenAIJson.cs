using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AiPlatform.InferenceWorker.Api;

/// <summary>
/// Writes OpenAI's response objects with a <see cref="Utf8JsonWriter"/>, field by field, so that answers go from the
/// engine's buffers to the response without intermediate objects. Property names are <c>u8</c> literals.
/// </summary>
internal static class OpenAIJson
{
    /// <summary>Opens a <c>chat.completion</c> or <c>text_completion</c> up to its <c>choices</c> array.</summary>
    public static void WriteCompletionStart(Utf8JsonWriter writer, CompletionEnvelope envelope)
    {
        writer.WriteStartObject();
        WriteEnvelope(writer, envelope, envelope.Kind == GenerationKind.Chat ? "chat.completion"u8 : "text_completion"u8);
        writer.WriteStartArray("choices"u8);
    }

    public static void WriteChoice(Utf8JsonWriter writer, CompletionEnvelope envelope, int index, ReadOnlySpan<byte> text, FinishReason finishReason)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        if (envelope.Kind == GenerationKind.Chat)
        {
            writer.WriteStartObject("message"u8);
            writer.WriteString("role"u8, "assistant"u8);
            writer.WriteString("content"u8, text);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("text"u8, text);
        }

        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, Name(finishReason));
        writer.WriteEndObject();
    }

    public static void WriteCompletionEnd(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteEndArray();
        WriteUsage(writer, usage);
        writer.WriteEndObject();
    }

    /// <summary>
    /// One streamed chunk for one choice: the chat role opener (<c>delta: {role: "assistant", content: ""}</c>), a content
    /// piece, or the closer carrying <c>finish_reason</c> (chat: empty delta; text: empty text).
    /// </summary>
    public static void WriteChunk(Utf8JsonWriter writer, CompletionEnvelope envelope, int index, ChunkPart part,
        ReadOnlySpan<byte> content, FinishReason finishReason, bool withNullUsage)
    {
        var chat = envelope.Kind == GenerationKind.Chat;
        writer.WriteStartObject();
        WriteEnvelope(writer, envelope, chat ? "chat.completion.chunk"u8 : "text_completion"u8);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        if (chat)
        {
            writer.WriteStartObject("delta"u8);
            if (part == ChunkPart.Role)
            {
                writer.WriteString("role"u8, "assistant"u8);
                writer.WriteString("content"u8, ""u8);
            }
            else if (part == ChunkPart.Content)
            {
                writer.WriteString("content"u8, content);
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("text"u8, part == ChunkPart.Content ? content : ""u8);
        }

        writer.WriteNull("logprobs"u8);
        if (part == ChunkPart.Finish)
        {
            writer.WriteString("finish_reason"u8, Name(finishReason));
        }
        else
        {
            writer.WriteNull("finish_reason"u8);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        if (withNullUsage)
        {
            writer.WriteNull("usage"u8);
        }

        writer.WriteEndObject();
    }

    /// <summary>The last chunk of a stream with <c>include_usage</c>: empty <c>choices</c> and the request's usage.</summary>
    public static void WriteUsageChunk(Utf8JsonWriter writer, CompletionEnvelope envelope, TokenUsage usage)
    {
        writer.WriteStartObject();
        WriteEnvelope(writer, envelope, envelope.Kind == GenerationKind.Chat ? "chat.completion.chunk"u8 : "text_completion"u8);
        writer.WriteStartArray("choices"u8);
        writer.WriteEndArray();
        WriteUsage(writer, usage);
        writer.WriteEndObject();
    }

    public static void WriteEmbeddingsStart(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list"u8);
        writer.WriteStartArray("data"u8);
    }

    /// <summary>One embedding; base64 is the little-endian float32 bytes, as OpenAI encodes them.</summary>
    public static void WriteEmbedding(Utf8JsonWriter writer, int index, ReadOnlySpan<float> vector, EmbeddingEncoding encoding)
    {
        writer.WriteStartObject();
        writer.WriteString("object"u8, "embedding"u8);
        writer.WriteNumber("index"u8, index);
        if (encoding == EmbeddingEncoding.Base64)
        {
            if (BitConverter.IsLittleEndian)
            {
                writer.WriteBase64String("embedding"u8, MemoryMarshal.AsBytes(vector));
            }
            else
            {
                var bytes = new byte[vector.Length * sizeof(float)];
                for (var i = 0; i < vector.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
                }

                writer.WriteBase64String("embedding"u8, bytes);
            }
        }
        else
        {
            writer.WriteStartArray("embedding"u8);
            foreach (var value in vector)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    public static void WriteEmbeddingsEnd(Utf8JsonWriter writer, string model, int promptTokens)
    {
        writer.WriteEndArray();
        writer.WriteString("model"u8, model);
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("prompt_tokens"u8, promptTokens);
        writer.WriteNumber("total_tokens"u8, promptTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>A <c>list</c> of <c>model</c> objects.</summary>
    public static void WriteModels(Utf8JsonWriter writer, IEnumerable<(string Id, long Created, string OwnedBy)> models)
    {
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list"u8);
        writer.WriteStartArray("data"u8);
        foreach (var (id, created, ownedBy) in models)
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, id);
            writer.WriteString("object"u8, "model"u8);
            writer.WriteNumber("created"u8, created);
            writer.WriteString("owned_by"u8, ownedBy);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteEnvelope(Utf8JsonWriter writer, CompletionEnvelope envelope, ReadOnlySpan<byte> objectName)
    {
        writer.WriteString("id"u8, envelope.Id);
        writer.WriteString("object"u8, objectName);
        writer.WriteNumber("created"u8, envelope.Created);
        writer.WriteString("model"u8, envelope.Model);
        if (envelope.SystemFingerprint is { } fingerprint)
        {
            writer.WriteString("system_fingerprint"u8, fingerprint);
        }
    }

    private static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        writer.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
        writer.WriteNumber("total_tokens"u8, usage.TotalTokens);
        writer.WriteEndObject();
    }

    private static ReadOnlySpan<byte> Name(FinishReason reason) => reason == FinishReason.Length ? "length"u8 : "stop"u8;
}

internal enum ChunkPart
{
    Role,
    Content,
    Finish,
}
