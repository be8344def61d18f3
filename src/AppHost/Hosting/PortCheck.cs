using System.Net;
using System.Net.Sockets;
using AiPlatform.AppHost.Configuration;
using AiPlatform.AppHost.Model;

namespace AiPlatform.AppHost.Orchestration.Preflight;

/// <summary>A port a resource will listen on, and the option that sets it.</summary>
internal sealed record PortClaim(int Port, string Resource, PortOption Option);

/// <summary>Finds port problems before anything starts, each with the option that fixes it.</summary>
internal static class PortCheck
{
    /// <summary>The ports of everything the AppHost itself starts; external servers claim none.</summary>
    public static IReadOnlyList<PortClaim> ClaimsOf(IEnumerable<Resource> resources)
    {
        List<PortClaim> claims = [];
        foreach (var resource in resources)
        {
            switch (resource)
            {
                case RedisResource { ExternalConnectionString: null } redis:
                    claims.Add(new PortClaim(redis.Port, redis.Name, redis.PortOption));
                    break;
                case PostgresServerResource { IsExternal: false } postgres:
                    claims.Add(new PortClaim(postgres.Port, postgres.Name, postgres.PortOption));
                    break;
                case ProjectResource project:
                    for (var i = 0; i < project.Replicas; i++)
                    {
                        claims.Add(new PortClaim(project.Port + i, project.ReplicaName(i), project.PortOption));
                    }

                    break;
            }
        }

        return claims;
    }

    public static IReadOnlyList<string> FindProblems(IReadOnlyList<PortClaim> claims, Func<int, bool> isInUse)
    {
        List<string> problems = [];
        foreach (var claim in claims.Where(c => c.Port > 65535))
        {
            problems.Add($"{claim.Resource} would listen on port {claim.Port}, above 65535. Choose a lower {claim.Option.Flag}.");
        }

        foreach (var group in claims.Where(c => c.Port <= 65535).GroupBy(c => c.Port).Where(g => g.Count() > 1))
        {
            var owners = group.ToList();
            problems.Add(
                $"Port {group.Key} is wanted by both {owners[0].Resource} and {owners[1].Resource}. " +
                $"Give one of them another port with {owners[0].Option.Flag} or {owners[1].Option.Flag}.");
        }

        foreach (var claim in claims.Where(c => c.Port <= 65535).DistinctBy(c => c.Port).Where(c => isInUse(c.Port)))
        {
            problems.Add(
                $"Port {claim.Port} for {claim.Resource} is already in use. Stop what listens there (see: ss -ltnp 'sport = :{claim.Port}'), " +
                $"or choose another port with {claim.Option.Flag} <port> (or {claim.Option.EnvironmentVariable}).");
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
