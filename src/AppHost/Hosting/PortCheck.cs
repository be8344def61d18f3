using System.Net;
using System.Net.Sockets;

namespace AiPlatform.AppHost.Hosting;

/// <summary>
/// Finds port problems before anything starts, each with the option that fixes it. Aspire's orchestrator would start a
/// service on a taken port anyway and leave its failure in that service's log; this says it up front, in one place.
/// </summary>
internal static class PortCheck
{
    public static IReadOnlyList<string> FindProblems(IReadOnlyList<PortSetting> ports, Func<int, bool> isInUse)
    {
        List<string> problems = [];
        foreach (var setting in ports.Where(p => p.Port > 65535))
        {
            problems.Add($"{setting.Resource} would listen on port {setting.Port}, above 65535. Choose a lower {setting.Flag}.");
        }

        foreach (var group in ports.Where(p => p.Port <= 65535).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            var owners = group.ToList();
            problems.Add(
                $"Port {group.Key} is wanted by both {owners[0].Resource} and {owners[1].Resource}. " +
                $"Give one of them another port with {owners[0].Flag} or {owners[1].Flag}.");
        }

        foreach (var setting in ports.Where(p => p.Port <= 65535).DistinctBy(p => p.Port).Where(p => isInUse(p.Port)))
        {
            problems.Add(
                $"Port {setting.Port} for {setting.Resource} is already in use. Stop what listens there (see: ss -ltnp 'sport = :{setting.Port}'), " +
                $"or choose another port with {setting.Flag} <port> (or {setting.EnvironmentVariable}).");
        }

        return problems;
    }

    /// <summary>
    /// Whether binding 127.0.0.1:<paramref name="port"/> fails: something listens there or on all addresses.
    /// Connections in TIME_WAIT do not count, as the servers bind with SO_REUSEADDR too. Other bind errors (a
    /// privileged port) are left to the server, which reports them itself.
    /// </summary>
    public static bool IsInUse(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }
}
