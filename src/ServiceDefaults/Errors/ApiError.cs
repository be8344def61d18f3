using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.ServiceDefaults.Errors;

/// <summary>
/// An error in OpenAI's shape, the contract of every platform API:
/// <c>{"error": {"message": "...", "type": "...", "param": "...", "code": "..."}}</c>.
/// </summary>
public sealed record ApiError(int StatusCode, string Message, string Type, string? Code = null, string? Param = null)
{
    public static ApiError BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, ApiErrorTypes.InvalidRequest, code, param);

    public static ApiError Unauthorized(string message, string code = ApiErrorCodes.InvalidApiKey) =>
        new(StatusCodes.Status401Unauthorized, message, ApiErrorTypes.Authentication, code);

    public static ApiError NotFound(string message, string? code = null, string? param = null) =>
        new(StatusCodes.Status404NotFound, message, ApiErrorTypes.InvalidRequest, code, param);

    public static ApiError Internal() =>
        new(StatusCodes.Status500InternalServerError, "The server had an error while processing your request.", ApiErrorTypes.Server);

    /// <summary>
    /// Writes the error with a <c>Retry-After</c> header: whole seconds (RFC 9110 §10.2.3), rounded up so that a
    /// retry is never early; none when zero.
    /// </summary>
    public Task WriteAsync(HttpResponse response, TimeSpan retryAfter)
    {
        if (retryAfter > TimeSpan.Zero)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return WriteAsync(response);
    }

    /// <summary>Writes the error as the response: status, JSON body, no caching.</summary>
    public Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = StatusCode;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        var writer = new Utf8JsonWriter(response.BodyWriter);
        WriteTo(writer);
        writer.Flush();
        return response.BodyWriter.FlushAsync().AsTask();
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, Message);
        writer.WriteString("type"u8, Type);
        WriteNullable(writer, "param"u8, Param);
        WriteNullable(writer, "code"u8, Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}

/// <summary>Values of the error <c>type</c> field that OpenAI's SDKs know.</summary>
public static class ApiErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string RateLimit = "rate_limit_error";
    public const string Server = "server_error";
}

/// <summary>Values of the error <c>code</c> field used across the platform.</summary>
public static class ApiErrorCodes
{
    public const string InvalidApiKey = "invalid_api_key";
    public const string InsufficientScope = "insufficient_scope";
    public const string ModelNotFound = "model_not_found";
    public const string RateLimitExceeded = "rate_limit_exceeded";
    public const string InsufficientQuota = "insufficient_quota";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
}
