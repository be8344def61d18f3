using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Requests;

/// <summary>
/// Checks <c>messages</c> of a chat request: a non-empty array of objects, each with a known <c>role</c> and a
/// <c>content</c> that is a string or an array of parts (it may be absent or null only for an assistant
/// message that carries tool calls). Everything else in a message is passed to the model unchecked.
/// </summary>
internal static class MessagesValidator
{
    public static bool TryValidate(ref Utf8JsonReader reader, out ApiError? error)
    {
        error = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = ApiError.BadRequest("'messages' must be a non-empty array.", "messages");
            return false;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!TryValidateMessage(ref reader, index, out error))
            {
                return false;
            }

            index++;
        }

        if (index == 0)
        {
            error = ApiError.BadRequest("'messages' must be a non-empty array.", "messages");
            return false;
        }

        return true;
    }

    private static bool TryValidateMessage(ref Utf8JsonReader reader, int index, out ApiError? error)
    {
        error = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = ApiError.BadRequest($"'messages[{index}]' must be an object with 'role' and 'content'.", $"messages[{index}]");
            return false;
        }

        var role = Role.Missing;
        var content = JsonTokenType.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                role = ReadRole(ref reader);
                if (role == Role.Invalid)
                {
                    error = ApiError.BadRequest(
                        $"'messages[{index}].role' must be one of 'system', 'developer', 'user', 'assistant', 'tool', 'function'.",
                        $"messages[{index}].role");
                    return false;
                }
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                content = reader.TokenType;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (role == Role.Missing)
        {
            error = ApiError.BadRequest($"Missing required parameter: 'messages[{index}].role'.", $"messages[{index}].role");
            return false;
        }

        var contentOptional = role == Role.Assistant;
        if (content is JsonTokenType.String or JsonTokenType.StartArray ||
            (contentOptional && content is JsonTokenType.None or JsonTokenType.Null))
        {
            return true;
        }

        error = content == JsonTokenType.None
            ? ApiError.BadRequest($"Missing required parameter: 'messages[{index}].content'.", $"messages[{index}].content")
            : ApiError.BadRequest($"'messages[{index}].content' must be a string or an array of content parts.", $"messages[{index}].content");
        return false;
    }

    private static Role ReadRole(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return Role.Invalid;
        }

        if (reader.ValueTextEquals("assistant"u8))
        {
            return Role.Assistant;
        }

        return reader.ValueTextEquals("user"u8) || reader.ValueTextEquals("system"u8) || reader.ValueTextEquals("developer"u8) ||
               reader.ValueTextEquals("tool"u8) || reader.ValueTextEquals("function"u8)
            ? Role.Other
            : Role.Invalid;
    }

    private enum Role
    {
        Missing,
        Invalid,
        Assistant,
        Other,
    }
}
