namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// Sees a successful upstream answer as it passes to the client (the response cache keeps it). Called by the
/// forwarding flow of one request only; never for error answers.
/// </summary>
public interface IResponseCapture
{
    /// <summary>A non-streamed answer, complete. Not called when it was larger than the inspection limit.</summary>
    void OnJsonBody(ReadOnlySpan<byte> body);

    /// <summary>The <c>data</c> payload of one streamed event, including the usage chunk even when the client does not see it.</summary>
    void OnStreamData(ReadOnlySpan<byte> data);
}
