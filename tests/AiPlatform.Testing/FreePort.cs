using System.Net;
using System.Net.Sockets;

namespace AiPlatform.Testing;

/// <summary>
/// Picks loopback TCP ports for servers a test starts, so that parallel test collections (and other
/// test runs on the same machine) never fight over fixed ports.
/// </summary>
public static class FreePort
{
    /// <summary>
    /// A port that was free a moment ago. The kernel chooses it by binding port 0; the listener is
    /// closed again before the server binds, so another process can take it in between: callers retry
    /// with a new port when their server reports "Address already in use".
    /// </summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>
    /// Whether something listens on 127.0.0.1:<paramref name="port"/> (or on all addresses), found
    /// by trying to bind it. Connections in TIME_WAIT do not count: servers bind with SO_REUSEADDR.
    /// </summary>
    public static bool IsInUse(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        finally
        {
            listener.Stop();
        }
    }
}
