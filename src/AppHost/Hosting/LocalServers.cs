namespace AiPlatform.AppHost.Hosting;

/// <summary>What the local Redis and Postgres resources share.</summary>
internal static class LocalServers
{
    /// <summary>They listen on the IPv4 loopback only: a development server is nobody else's business.</summary>
    public const string LoopbackHost = "127.0.0.1";
}
