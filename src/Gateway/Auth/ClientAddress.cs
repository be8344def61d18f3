using System.Net;
using AiPlatform.Gateway.RateLimiting;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Auth;

/// <summary>
/// The client's IP: the connection's address, or the first address of a header set by a trusted proxy when one is
/// configured (<see cref="RateLimitOptions.ClientIpHeader"/>). Trusting such a header without a proxy that
/// overwrites it would let clients choose their own address, hence off by default.
/// </summary>
public sealed class ClientAddress(IOptions<RateLimitOptions> options)
{
    public string Of(HttpContext context)
    {
        if (options.Value.ClientIpHeader is { Length: > 0 } header &&
            context.Request.Headers[header].ToString() is { Length: > 0 } forwarded)
        {
            var first = forwarded.AsSpan();
            var comma = first.IndexOf(',');
            if (comma >= 0)
            {
                first = first[..comma];
            }

            if (IPAddress.TryParse(first.Trim(), out var parsed))
            {
                return Normalize(parsed);
            }
        }

        return context.Connection.RemoteIpAddress is { } remote ? Normalize(remote) : "unknown";
    }

    private static string Normalize(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
