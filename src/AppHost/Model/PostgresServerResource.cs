using AiPlatform.AppHost.Configuration;

namespace AiPlatform.AppHost.Model;

/// <summary>A PostgreSQL server on 127.0.0.1 with its superuser <c>postgres</c>, holding <see cref="Databases"/>.</summary>
public sealed class PostgresServerResource(string name, int port) : Resource(name)
{
    public const string SuperUser = "postgres";

    private readonly List<PostgresDatabaseResource> _databases = [];

    public int Port { get; } = port;

    public PortOption PortOption => PortOptions.Postgres;

    public IReadOnlyList<PostgresDatabaseResource> Databases => _databases;

    /// <summary>When every database is given by an external connection string, no local server is needed.</summary>
    public bool IsExternal => _databases.Count > 0 && _databases.All(d => d.ExternalConnectionString is not null);

    internal void AddDatabase(PostgresDatabaseResource database) => _databases.Add(database);
}
