using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Keys;

namespace AiPlatform.UsageApi.Admin;

/// <summary>Reads an admin request's JSON body as a document, turning what cannot be read into an OpenAI-shaped error.</summary>
public static class JsonRequestBody
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        // {"a": 1, "a": 2} has no single meaning; refuse it instead of silently taking the last.
        AllowDuplicateProperties = false,
        MaxDepth = 64,
    };

    /// <summary>Parses the body; the caller disposes the document. A body over the endpoint's size limit is a 413.</summary>
    public static async Task<(JsonDocument? Document, ApiError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (await JsonDocument.ParseAsync(request.Body, s_documentOptions, cancellationToken), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiError.BadRequest($"We could not parse the JSON body of your request: {ex.Message}", code: KeyErrorCodes.InvalidJson));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, new ApiError(ex.StatusCode, ex.Message, ApiErrorTypes.InvalidRequest));
        }
    }
}
