using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.Testing;

/// <summary>Runs a service under test on a real Kestrel socket, for clients that cannot use the in-memory TestServer.</summary>
public static class LoopbackServer
{
    /// <summary>
    /// Starts <paramref name="factory"/> on 127.0.0.1 and returns its root, e.g. <c>http://127.0.0.1:41234/</c>. Port 0:
    /// Kestrel picks a free port while binding, so no other test can take it between choosing and binding.
    /// </summary>
    public static Uri StartOnLoopback<TEntryPoint>(this WebApplicationFactory<TEntryPoint> factory) where TEntryPoint : class
    {
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(address.TrimEnd('/') + "/");
    }
}
