
namespace AiPlatform.AppHost.Hosting;

/// <summary>
/// Debian's PostgreSQL run by Aspire's orchestrator as an executable (<c>postgres</c> in the foreground, as the
/// <c>postgres</c> user when the AppHost runs as root), for machines without a container runtime. Its connection string
/// has the shape of Aspire's Postgres resource, so services cannot tell the two apart.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string command, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, dataDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    /// <summary>The superuser initdb creates; the services connect as it, as they do to Aspire's Postgres container.</summary>
    public const string SuperUser = "postgres";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);
    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>The cluster folder (PGDATA), owned by the server's user; also where its Unix socket lives.</summary>
    public string DataDirectory => WorkingDirectory;

    public ParameterResource PasswordParameter => password;

    /// <summary>Resource name → database name of every database on this server, created when missing once it is ready.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={LocalServers.LoopbackHost};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={SuperUser};Password={PasswordParameter}");

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);
}

/// <summary>A database on a <see cref="LocalPostgresServerResource"/>; referencing it gives <c>ConnectionStrings__{name}</c>.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent => parent;

    public string DatabaseName => databaseName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
