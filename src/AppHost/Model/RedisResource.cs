using AiPlatform.AppHost.Configuration;

namespace AiPlatform.AppHost.Model;

/// <summary>A Redis server on 127.0.0.1, or an existing one given by its connection string.</summary>
public sealed class RedisResource(string name, int port, string? externalConnectionString)
    : Resource(name), IResourceWithConnectionString
{
    public int Port { get; } = port;

    public PortOption PortOption => PortOptions.Redis;

    public string? ExternalConnectionString { get; } = externalConnectionString;

    /// <summary>StackExchange.Redis's configuration format.</summary>
    public string GetConnectionString(EnvironmentContext context) =>
        ExternalConnectionString ?? $"{EnvironmentContext.LoopbackHost}:{Port}";
}
