using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Requests;

/// <summary>
/// Checks the fields of a rerank request in the Cohere/Jina shape vLLM serves: <c>query</c> a string, <c>documents</c> a
/// non-empty array of strings or of objects with a string <c>text</c>, <c>top_n</c> a whole number of at least 1,
/// <c>return_documents</c> a boolean. Each method starts on the field's value and leaves the reader on its last token.
/// </summary>
internal static class RerankValidator
{
    public static bool TryValidateQuery(ref Utf8JsonReader reader, out ApiError? error)
    {
        error = reader.TokenType == JsonTokenType.String ? null : ApiError.BadRequest("'query' must be a string.", "query");
        return error is null;
    }

    public static bool TryValidateDocuments(ref Utf8JsonReader reader, out ApiError? error)
    {
        error = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = NotANonEmptyArray();
            return false;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String && !(reader.TokenType == JsonTokenType.StartObject && HasStringText(ref reader)))
            {
                error = ApiError.BadRequest($"'documents[{index}]' must be a string or an object with a string 'text'.", $"documents[{index}]");
                return false;
            }

            index++;
        }

        if (index == 0)
        {
            error = NotANonEmptyArray();
            return false;
        }

        return true;
    }

    public static bool TryValidateTopN(ref Utf8JsonReader reader, out ApiError? error)
    {
        error = reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var topN) && topN >= 1)
            ? null
            : ApiError.BadRequest("'top_n' must be an integer of at least 1.", "top_n");
        return error is null;
    }

    public static bool TryValidateReturnDocuments(ref Utf8JsonReader reader, out ApiError? error)
    {
        error = reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null
            ? null
            : ApiError.BadRequest("'return_documents' must be a boolean.", "return_documents");
        return error is null;
    }

    /// <summary>Reads a document object to its end; whether it has a string <c>text</c>.</summary>
    private static bool HasStringText(ref Utf8JsonReader reader)
    {
        var hasText = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("text"u8);
            reader.Read();
            hasText |= isText && reader.TokenType == JsonTokenType.String;
            reader.Skip();
        }

        return hasText;
    }

    private static ApiError NotANonEmptyArray() =>
        ApiError.BadRequest("'documents' must be a non-empty array of strings or of objects with a string 'text'.", "documents");
}
