using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// Sees the answer as it passes to the client: the response cache keeps a success on a miss, the payload log keeps the
/// text of any answer for keys with <c>log_payloads</c>. Called by one request's flow only: the forwarding, or the cache
/// answering a hit.
/// </summary>
public interface IResponseCapture
{
    /// <summary>A non-streamed answer, complete. Not called when it was larger than the inspection limit.</summary>
    void OnJsonBody(ReadOnlySpan<byte> body);

    /// <summary>The <c>data</c> payload of one streamed event, including the usage chunk even when the client does not see it.</summary>
    void OnStreamData(ReadOnlySpan<byte> data);

    /// <summary>No attempt succeeded, and the client gets the upstream's error answer as it came.</summary>
    void OnErrorAnswer(ReadOnlySpan<byte> body);

    /// <summary>No attempt succeeded, and the client gets this error (the Gateway's own, or the upstream's wrapped in OpenAI's shape).</summary>
    void OnErrorAnswer(ApiError error);
}
