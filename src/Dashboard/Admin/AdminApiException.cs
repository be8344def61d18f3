using System.Net;

namespace AiPlatform.Dashboard.Admin;

/// <summary>
/// An admin API refused or failed a call: <see cref="Exception.Message"/> is its OpenAI-shaped error's message (shown to the
/// person as it is: it names the field at fault), or says the service could not be reached.
/// </summary>
public sealed class AdminApiException(HttpStatusCode? status, string message, string? param = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The answer's status; null when no answer came.</summary>
    public HttpStatusCode? Status { get; } = status;

    /// <summary>The request field the error names, when it names one.</summary>
    public string? Param { get; } = param;
}
