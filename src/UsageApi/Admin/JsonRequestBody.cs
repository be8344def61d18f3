using AiPlatform.ServiceDefaults.Usage;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Keys;

namespace AiPlatform.UsageApi.Admin;

/// <summary>Reads an admin request's JSON body as a document, turning what cannot be read into an OpenAI-shaped error.</summary>
public static class JsonRequestBody
{
    /// <summary>How deep an admin request body may nest, unless the endpoint asks for less.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>Parses the body; the caller disposes the document. A body over the endpoint's size limit is a 413.</summary>
    public static Task<(JsonDocument? Document, ApiError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadAsync(request, DefaultMaxDepth, cancellationToken);

    /// <summary>As <see cref="ReadAsync(HttpRequest, CancellationToken)"/>, refusing bodies nested deeper than <paramref name="maxDepth"/>.</summary>
    public static async Task<(JsonDocument? Document, ApiError? Error)> ReadAsync(HttpRequest request, int maxDepth, CancellationToken cancellationToken)
    {
        var options = new JsonDocumentOptions
        {
            // {"a": 1, "a": 2} has no single meaning; refuse it instead of silently taking the last.
            AllowDuplicateProperties = false,
            MaxDepth = maxDepth,
        };
        try
        {
            return (await JsonDocument.ParseAsync(request.Body, options, cancellationToken), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiError.BadRequest($"We could not parse the JSON body of your request: {ex.Message}", code: KeyErrorCodes.InvalidJson));
        }
        catch (InvalidOperationException)
        {
            // The duplicate check reads every member name, and a name escaping a lone surrogate ("\udc00") is not text.
            return (null, ApiError.BadRequest($"We could not parse the JSON body of your request: a member name {JsonText.Rule}.", code: KeyErrorCodes.InvalidJson));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, new ApiError(ex.StatusCode, ex.Message, ApiErrorTypes.InvalidRequest));
        }
    }
}
