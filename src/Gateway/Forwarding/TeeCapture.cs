using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// Two captures of one answer: a cache miss of a key that logs payloads is kept by the cache and by the payload log.
/// Made only when both want the answer, so a request with one capture or none pays nothing for it.
/// </summary>
internal sealed class TeeCapture(IResponseCapture first, IResponseCapture second) : IResponseCapture
{
    public void OnJsonBody(ReadOnlySpan<byte> body)
    {
        first.OnJsonBody(body);
        second.OnJsonBody(body);
    }

    public void OnStreamData(ReadOnlySpan<byte> data)
    {
        first.OnStreamData(data);
        second.OnStreamData(data);
    }

    public void OnErrorAnswer(ReadOnlySpan<byte> body)
    {
        first.OnErrorAnswer(body);
        second.OnErrorAnswer(body);
    }

    public void OnErrorAnswer(ApiError error)
    {
        first.OnErrorAnswer(error);
        second.OnErrorAnswer(error);
    }
}
