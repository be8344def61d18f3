using System.Globalization;
using AiPlatform.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>Adds Debian's <c>redis-server</c> as an Aspire resource that runs without containers.</summary>
public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// A <c>redis-server</c> on 127.0.0.1:<paramref name="port"/>, persisting to an append-only file in
    /// <paramref name="dataDirectory"/>, ready (for <c>WaitFor</c>) when it answers PING. The orchestrator stops it with
    /// SIGTERM, on which Redis flushes its append-only file and exits.
    /// </summary>
    /// <remarks>The caller finds <paramref name="command"/>, <c>redis-server</c>; the preflight check reports a missing one.</remarks>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string name, int port, string command, string dataDirectory)
    {
        var directory = Path.Combine(dataDirectory, "redis");
        Directory.CreateDirectory(directory);

        var redis = new LocalRedisResource(name, command, directory);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis($"{LocalServers.LoopbackHost}:{port}", name: healthCheckKey);

        var portText = port.ToString(CultureInfo.InvariantCulture);
        return builder.AddResource(redis)
            // Not proxied: the services talk to the server itself, not to the orchestrator's proxy in front of it.
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalRedisResource.PrimaryEndpointName, isProxied: false)
            .WithArgs(
                "--port", portText,
                "--bind", LocalServers.LoopbackHost,
                "--dir", directory,
                "--appendonly", "yes",
                "--daemonize", "no",
                // A process title would overwrite the command line and environment that /proc shows, and with them
                // what tells this server apart from others (its data folder) to whoever looks for leftovers.
                "--set-proc-title", "no")
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
    }
}
