using System.Net;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// The client address of an admin request, for the failed-attempt limit and the audit log: the connection's, or the
/// one the Dashboard forwards for the browser it serves (<see cref="ForwardedForHeader"/>), believed only with the
/// forwarder key (<see cref="KnownConfigNames.ForwarderKey"/>) beside it. Without that, every sign-in through the
/// Dashboard would count against the Dashboard's own address, and a few people mistyping would lock it out for all;
/// and a client could choose its address per guess if any header were believed.
/// </summary>
public sealed class AdminClientAddress(IConfiguration configuration)
{
    public const string ForwardedForHeader = "aig-forwarded-for";
    public const string ForwarderKeyHeader = "aig-forwarder-key";

    private readonly SecretHash? _forwarderKey = SecretHash.OfConfigured(configuration[KnownConfigNames.ForwarderKey]);

    public string Of(HttpContext http)
    {
        var headers = http.Request.Headers;
        if (_forwarderKey is not null
            && headers[ForwardedForHeader] is [{ } forwarded]
            && headers[ForwarderKeyHeader] is [{ } key]
            && IPAddress.TryParse(forwarded, out var address)
            && _forwarderKey.Matches(key))
        {
            return Normalize(address);
        }

        return http.Connection.RemoteIpAddress is { } remote ? Normalize(remote) : IPAddress.None.ToString();
    }

    private static string Normalize(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
