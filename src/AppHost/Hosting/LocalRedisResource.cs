
namespace AiPlatform.AppHost.Hosting;

/// <summary>
/// Debian's <c>redis-server</c> run by Aspire's orchestrator as an executable, for machines without a container
/// runtime. Its connection string has the shape of Aspire's Redis resource (<c>host:port</c>), so services read it as
/// <c>ConnectionStrings__{name}</c> whichever of the two runs.
/// </summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>
    /// 127.0.0.1 rather than the endpoint's host (<c>localhost</c>): the server binds only the IPv4 loopback, and a
    /// client trying ::1 first would wait for a refusal on every connect.
    /// </summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{LocalServers.LoopbackHost}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
