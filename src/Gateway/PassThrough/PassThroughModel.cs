using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// Finds the model a pass-through request names, where OpenAI's APIs put it: <c>?model=</c> in the query, <c>model</c>
/// in a JSON body (image generations, speech), or the <c>model</c> field of a multipart form (transcriptions, image
/// edits). A JSON body is read whole; a form only up to its <c>model</c> field. What was read is handed back to be
/// forwarded before the rest of the body, so the upstream gets the client's bytes unchanged.
/// </summary>
internal static class PassThroughModel
{
    private const int MaxModelLength = 256;

    /// <summary>
    /// OpenAI's APIs that take no model: their bodies (a file of up to 512 MB) are not read, and they go to the default
    /// model's targets.
    /// </summary>
    private static readonly PathString[] s_modelless = ["/v1/files", "/v1/uploads", "/v1/batches"];

    /// <param name="Model">Null when the request names none.</param>
    /// <param name="ReadAhead">The body's bytes read to find it.</param>
    /// <param name="Error">Why the request is refused: a body that cannot be read, a model named twice, a form whose model comes too late.</param>
    /// <param name="InForm">The model came from a multipart form, whose rest must be watched for a second <c>model</c> field (<see cref="FormModelFields"/>).</param>
    public readonly record struct Found(string? Model, ReadOnlyMemory<byte> ReadAhead, ApiError? Error, bool InForm = false);

    /// <summary>
    /// The body's model, else the query's. Both may be given only if they agree: the Gateway authorises the model it
    /// reads, and the provider must not be sent another one.
    /// </summary>
    public static async Task<Found> FindAsync(HttpRequest request, int scanLimit, CancellationToken cancellationToken)
    {
        var fromQuery = request.Query.TryGetValue("model", out var values) && values is [{ Length: > 0 } queryModel] ? queryModel : null;
        if (Array.Exists(s_modelless, request.Path.StartsWithSegments))
        {
            return new Found(fromQuery, default, null);
        }

        var found = request.HasJsonContentType() ? await FromJsonAsync(request, scanLimit, cancellationToken)
            : MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                ? await FromFormAsync(request, mediaType, scanLimit, cancellationToken)
                : new Found(null, default, null);
        if (found.Error is not null || fromQuery is null)
        {
            return found;
        }

        return found.Model is null || found.Model == fromQuery
            ? found with { Model = fromQuery }
            : new Found(null, default, ApiError.BadRequest($"The model is named twice: '{fromQuery}' in the query and '{found.Model}' in the body.", "model"));
    }

    private static async Task<Found> FromJsonAsync(HttpRequest request, int scanLimit, CancellationToken cancellationToken)
    {
        var recorder = new RecordingStream(request.Body, scanLimit);
        await recorder.CopyToAsync(Stream.Null, cancellationToken);
        if (recorder.LimitReached && await request.Body.ReadAsync(new byte[1], cancellationToken) > 0)
        {
            return new Found(null, default, new ApiError(StatusCodes.Status413PayloadTooLarge,
                $"A JSON body passed through may be at most {scanLimit} bytes (Gateway:PassThrough:MaxModelScanBytes).",
                ApiErrorTypes.InvalidRequest, "request_too_large"));
        }

        var body = recorder.Recorded;
        if (body.IsEmpty)
        {
            return new Found(null, default, null);
        }

        try
        {
            return TopLevelModel(body.Span, out var model) <= 1
                ? new Found(model, body, null)
                : new Found(null, default, ApiError.BadRequest("The request body names its model more than once.", "model"));
        }
        catch (JsonException e)
        {
            return new Found(null, default, ApiError.BadRequest($"The request body is not valid JSON: {e.Message}", code: "invalid_json"));
        }
    }

    /// <summary>
    /// The top-level <c>model</c> string (null when there is none) and how many <c>model</c> members the object has:
    /// parsers differ on which of two they take. Other members are skipped without being parsed into objects.
    /// </summary>
    private static int TopLevelModel(ReadOnlySpan<byte> json, out string? model)
    {
        model = null;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return 0;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isModel = reader.ValueTextEquals("model"u8);
            reader.Read();
            if (isModel)
            {
                count++;
                model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return count;
    }

    private static async Task<Found> FromFormAsync(HttpRequest request, MediaTypeHeaderValue mediaType, int scanLimit, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return new Found(null, default, ApiError.BadRequest("A multipart/form-data body needs a boundary in its Content-Type.", code: "invalid_multipart"));
        }

        var recorder = new RecordingStream(request.Body, scanLimit);
        var reader = new MultipartReader(boundary, recorder);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (section.GetContentDispositionHeader() is { } disposition
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals("model", StringComparison.Ordinal))
                {
                    var model = await new StreamReader(section.Body).ReadToEndAsync(cancellationToken);
                    return model.Length is > 0 and <= MaxModelLength
                        ? new Found(model, recorder.Recorded, null, InForm: true)
                        : new Found(null, default, ApiError.BadRequest($"The model field must be 1 to {MaxModelLength} characters.", "model"));
                }

                await section.Body.CopyToAsync(Stream.Null, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException && !recorder.LimitReached)
        {
            return new Found(null, default, ApiError.BadRequest($"The multipart/form-data body could not be read: {e.Message}", code: "invalid_multipart"));
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // The scan stopped at its limit mid-form.
        }

        // A form that goes on past the limit may still name a model further on: guessing would send it to the wrong place.
        return recorder.LimitReached
            ? new Found(null, default, ApiError.BadRequest(
                $"The form's model field must come within its first {scanLimit} bytes (Gateway:PassThrough:MaxModelScanBytes): send it before the file.",
                "model"))
            : new Found(null, recorder.Recorded, null);
    }
}
