using System.Collections.Frozen;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>Which headers cross the Gateway, in each direction.</summary>
internal static class ForwardedHeaders
{
    /// <summary>Hop-by-hop headers (RFC 9110 §7.6.1) and the proxy headers that belong to one connection.</summary>
    private static readonly FrozenSet<string> s_hopByHop = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade");

    /// <summary>
    /// Request headers never sent upstream: the client's credentials (the target's own key is sent instead),
    /// what the upstream request sets itself (host, body framing), encodings the Gateway could not read back,
    /// and the caller's OpenAI account headers, which mean nothing to the target's account.
    /// </summary>
    private static readonly FrozenSet<string> s_requestOnlyHere = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Host", "Authorization", "Cookie", "Content-Length", "Content-Type", "Expect", "Accept-Encoding",
        "OpenAI-Organization", "OpenAI-Project", GatewayHeaders.RequestId, GatewayHeaders.RequestTimeout, GatewayHeaders.MaxAttempts);

    /// <summary>Response headers the Gateway sets itself.</summary>
    private static readonly FrozenSet<string> s_responseOnlyHere = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        GatewayHeaders.RequestId, GatewayHeaders.Target, GatewayHeaders.Attempts, GatewayHeaders.FallbackModel);

    public static bool IsForwardedRequestHeader(string name) => !s_hopByHop.Contains(name) && !s_requestOnlyHere.Contains(name);

    public static bool IsForwardedResponseHeader(string name) => !s_hopByHop.Contains(name) && !s_responseOnlyHere.Contains(name);
}
