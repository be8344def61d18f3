using Microsoft.Extensions.Logging;

namespace AiPlatform.ServiceDefaults.Errors;

internal static partial class ApiErrorsLog
{
    // Kestrel's message says what was wrong with the framing ("Bad chunk size data."); it never quotes headers or the body.
    [LoggerMessage(EventId = 9900, Level = LogLevel.Debug, Message = "Malformed request {Method} {Path} answered {StatusCode}: {Reason}")]
    public static partial void MalformedRequest(ILogger logger, string method, string path, int statusCode, string reason);

    // The driver's message names the failure ("Failed to connect to 127.0.0.1:5433"), never a query's values.
    [LoggerMessage(EventId = 9901, Level = LogLevel.Warning, Message = "Database unavailable for {Method} {Path}, answered 503: {Reason}")]
    public static partial void DatabaseUnavailable(ILogger logger, string method, string path, string reason);
}
