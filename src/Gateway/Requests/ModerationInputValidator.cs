using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Requests;

/// <summary>
/// Checks <c>input</c> of a moderation request as OpenAI's API takes it: a string, a non-empty array of strings, or a
/// non-empty array of multimodal parts (<c>{"type":"text","text"}</c>, <c>{"type":"image_url","image_url":{"url"}}</c>).
/// A part's other members are passed to the model unchecked.
/// </summary>
internal static class ModerationInputValidator
{
    public static bool TryValidate(ref Utf8JsonReader reader, out ApiError? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.String)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = NotStringOrArray();
            return false;
        }

        var firstKind = JsonTokenType.None;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.StartObject))
            {
                error = ApiError.BadRequest($"'input[{index}]' must be a string or a content part.", $"input[{index}]");
                return false;
            }

            // OpenAI takes strings or parts, not both in one array: the first item decides which.
            firstKind = index == 0 ? reader.TokenType : firstKind;
            if (reader.TokenType != firstKind)
            {
                error = ApiError.BadRequest(
                    $"'input[{index}]' must be {(firstKind == JsonTokenType.String ? "a string" : "a content part")} like 'input[0]': strings and content parts do not mix.",
                    $"input[{index}]");
                return false;
            }

            if (reader.TokenType == JsonTokenType.StartObject && !TryValidatePart(ref reader, index, out error))
            {
                return false;
            }

            index++;
        }

        if (index == 0)
        {
            error = NotStringOrArray();
            return false;
        }

        return true;
    }

    private static bool TryValidatePart(ref Utf8JsonReader reader, int index, out ApiError? error)
    {
        error = null;
        var type = PartType.Missing;
        var hasText = false;
        var hasImageUrl = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType != JsonTokenType.String ? PartType.Invalid
                    : reader.ValueTextEquals("text"u8) ? PartType.Text
                    : reader.ValueTextEquals("image_url"u8) ? PartType.ImageUrl
                    : PartType.Invalid;
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                hasText = reader.TokenType == JsonTokenType.String;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("image_url"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    hasImageUrl = HasStringUrl(ref reader);
                }
                else
                {
                    hasImageUrl = false;
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var part = $"input[{index}]";
        error = type switch
        {
            PartType.Missing => ApiError.BadRequest($"Missing required parameter: '{part}.type'.", $"{part}.type"),
            PartType.Invalid => ApiError.BadRequest($"'{part}.type' must be 'text' or 'image_url'.", $"{part}.type"),
            PartType.Text when !hasText => ApiError.BadRequest($"'{part}.text' must be a string.", $"{part}.text"),
            PartType.ImageUrl when !hasImageUrl => ApiError.BadRequest($"'{part}.image_url' must be an object with a string 'url'.", $"{part}.image_url"),
            _ => null,
        };
        return error is null;
    }

    /// <summary>Reads an <c>image_url</c> object to its end; whether it has a string <c>url</c>.</summary>
    private static bool HasStringUrl(ref Utf8JsonReader reader)
    {
        var hasUrl = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUrl = reader.ValueTextEquals("url"u8);
            reader.Read();
            hasUrl |= isUrl && reader.TokenType == JsonTokenType.String;
            reader.Skip();
        }

        return hasUrl;
    }

    private static ApiError NotStringOrArray() =>
        ApiError.BadRequest("'input' must be a string, or a non-empty array of strings or of content parts.", "input");

    private enum PartType
    {
        Missing,
        Invalid,
        Text,
        ImageUrl,
    }
}
