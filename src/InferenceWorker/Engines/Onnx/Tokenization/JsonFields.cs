using System.Text.Json;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// Typed reads of tokenizer files' JSON fields. A field of the wrong kind throws <see cref="InvalidDataException"/>
/// naming its path in the file (<c>model.vocab</c>, <c>decoder.decoders[2].start</c>); the reader adds the file.
/// </summary>
internal static class JsonFields
{
    /// <summary>The field, or null when it is absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement parent, string name, string where)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where} is not an object");
        }

        return parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public static string? OptionalString(JsonElement parent, string name, string where) =>
        Optional(parent, name, where) is { } value
            ? value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new InvalidDataException($"{where}.{name} is not a string")
            : null;

    public static string RequiredString(JsonElement parent, string name, string where) =>
        OptionalString(parent, name, where) ?? throw new InvalidDataException($"{where}.{name} is missing");

    public static bool OptionalBool(JsonElement parent, string name, string where, bool defaultValue) =>
        Optional(parent, name, where) is { } value
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new InvalidDataException($"{where}.{name} is not a boolean"),
            }
            : defaultValue;

    public static int OptionalInt(JsonElement parent, string name, string where, int defaultValue) =>
        Optional(parent, name, where) is { } value
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number
                : throw new InvalidDataException($"{where}.{name} is not a 32-bit integer")
            : defaultValue;

    public static JsonElement RequiredArray(JsonElement parent, string name, string where) =>
        Optional(parent, name, where) is { ValueKind: JsonValueKind.Array } value
            ? value
            : throw new InvalidDataException($"{where}.{name} is missing or not an array");

    /// <summary>A component's <c>type</c>, which selects how it is read.</summary>
    public static string TypeOf(JsonElement component, string where) => RequiredString(component, "type", where);

    /// <summary>A token id: an integer within what an ONNX model's vocabulary can be (below 2^24).</summary>
    public static int TokenId(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) && id is >= 0 and < 1 << 24
            ? id
            : throw new InvalidDataException($"{where} is not a token id (an integer from 0 to 2^24)");

    /// <summary>A single-character string, as Hugging Face's Rust <c>char</c> fields (Metaspace's replacement).</summary>
    public static char RequiredChar(JsonElement parent, string name, string where) =>
        RequiredString(parent, name, where) is [var c] && !char.IsSurrogate(c)
            ? c
            : throw new InvalidDataException($"{where}.{name} is not a single character");
}
