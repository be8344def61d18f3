using Microsoft.Extensions.Primitives;

namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// The Gateway's own headers of a pass-through answer (its <c>aig-</c> headers and the key's <c>x-ratelimit-</c>
/// limits), taken before YARP copies the target's answer and put back after it: YARP appends, so a target's own rate
/// limits or <c>aig-</c> headers would otherwise mix into the Gateway's.
/// </summary>
internal sealed class GatewayAnswerHeaders
{
    private readonly List<KeyValuePair<string, StringValues>> _headers;

    private GatewayAnswerHeaders(List<KeyValuePair<string, StringValues>> headers) => _headers = headers;

    public static GatewayAnswerHeaders Capture(HttpResponse response) =>
        new([.. response.Headers.Where(h => IsGatewayHeader(h.Key))]);

    /// <summary>Drops every header of the Gateway's kind the answer holds now, then sets the ones captured.</summary>
    public void PutBack(HttpResponse response)
    {
        foreach (var name in response.Headers.Keys.Where(IsGatewayHeader).ToList())
        {
            response.Headers.Remove(name);
        }

        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }
    }

    private static bool IsGatewayHeader(string name) =>
        name.StartsWith("aig-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase);
}
