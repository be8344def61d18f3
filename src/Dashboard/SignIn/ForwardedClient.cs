using System.Security.Claims;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.Dashboard.SignIn;

/// <summary>
/// Tells the admin APIs which browser a call is made for: its address (kept in the sign-in cookie from the sign-in on)
/// with the forwarder key, so that UsageApi and the Gateway count failed sign-ins and record audit entries under the
/// person's address, not the Dashboard's (see <see cref="AdminClientAddress"/>). Without a forwarder key configured it
/// sends nothing, and the Dashboard's own address is what they see.
/// </summary>
public sealed class ForwardedClient(IConfiguration configuration)
{
    public const string AddressClaimType = "aig:client_address";

    private readonly string? _forwarderKey = configuration[KnownConfigNames.ForwarderKey] is { Length: > 0 } key ? key : null;

    public static string? AddressOf(ClaimsPrincipal user) => user.FindFirst(AddressClaimType)?.Value;

    public void Apply(HttpRequestMessage request, string? address)
    {
        if (_forwarderKey is not null && address is not null)
        {
            request.Headers.Add(AdminClientAddress.ForwardedForHeader, address);
            request.Headers.Add(AdminClientAddress.ForwarderKeyHeader, _forwarderKey);
        }
    }
}
