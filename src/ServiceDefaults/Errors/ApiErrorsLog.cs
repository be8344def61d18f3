using Microsoft.Extensions.Logging;

namespace AiPlatform.ServiceDefaults.Errors;

internal static partial class ApiErrorsLog
{
    // Kestrel's message says what was wrong with the framing ("Bad chunk size data."); it never quotes headers or the body.
    [LoggerMessage(EventId = 9900, Level = LogLevel.Debug, Message = "Malformed request {Method} {Path} answered {StatusCode}: {Reason}")]
    public static partial void MalformedRequest(ILogger logger, string method, string path, int statusCode, string reason);
}
