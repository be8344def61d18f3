using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Caching;

/// <summary>
/// The cache key of a request: SHA-256 over its scope, its operation and its canonical JSON. Canonical means object
/// members sorted by name at every depth, strings re-encoded one way, no whitespace; so field order and formatting do
/// not matter while every value does. Fields that do not change the answer are left out: <c>stream</c> and
/// <c>stream_options</c> (a cached answer is served streamed or not), and <c>user</c>, <c>store</c>,
/// <c>metadata</c> (bookkeeping for the provider).
/// </summary>
public static class CacheKey
{
    private const string Prefix = "aig:cache:";

    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = false, SkipValidation = true };

    private static bool IsIgnored(string name) =>
        name is "stream" or "stream_options" or "user" or "store" or "metadata";

    /// <summary>
    /// <c>aig:cache:{scope}:{hex}</c>; the scope is the caller's key id or its shared namespace. A body that names no
    /// model (a moderation) has the model it was given, <paramref name="omittedModel"/>, in its key, so that an answer
    /// cached under one default is not served once the default changes.
    /// </summary>
    public static string For(string scope, InferenceOperation operation, ReadOnlySpan<byte> body, string? callerKey, string? omittedModel = null)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (callerKey is not null)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes($"{operation}\ncaller\n{callerKey}"), hash);
        }
        else
        {
            HashCanonical(operation, body, omittedModel, hash);
        }

        return string.Concat(Prefix, scope, ":", Convert.ToHexStringLower(hash));
    }

    /// <summary>The canonical form itself, for tests and diagnostics.</summary>
    public static string Canonicalize(ReadOnlySpan<byte> body)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length);
        WriteCanonical(body, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void HashCanonical(InferenceOperation operation, ReadOnlySpan<byte> body, string? omittedModel, Span<byte> hash)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + 16);
        buffer.Write(Encoding.UTF8.GetBytes(operation.UpstreamPath()));
        buffer.Write("\n"u8);
        if (omittedModel is not null)
        {
            buffer.Write(Encoding.UTF8.GetBytes("omitted model " + omittedModel));
            buffer.Write("\n"u8);
        }

        WriteCanonical(body, buffer);
        SHA256.HashData(buffer.WrittenSpan, hash);
    }

    private static void WriteCanonical(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        WriteValue(writer, document.RootElement, topLevel: true);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement element, bool topLevel = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<JsonProperty>();
                foreach (var member in element.EnumerateObject())
                {
                    if (!topLevel || !IsIgnored(member.Name))
                    {
                        members.Add(member);
                    }
                }

                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var member in members)
                {
                    writer.WritePropertyName(member.Name);
                    WriteValue(writer, member.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
