using System.Text.RegularExpressions;

namespace AiPlatform.AppHost.Model;

/// <summary>A database on a <see cref="PostgresServerResource"/>, created when it is missing.</summary>
public sealed partial class PostgresDatabaseResource : Resource, IResourceWithConnectionString
{
    internal PostgresDatabaseResource(string name, string databaseName, PostgresServerResource server, string? externalConnectionString)
        : base(name)
    {
        // The name goes into SQL and connection strings unquoted; a plain identifier needs no escaping anywhere.
        if (!PlainIdentifier().IsMatch(databaseName))
        {
            throw new ArgumentException($"Database name '{databaseName}' must be letters, digits and underscores, not starting with a digit.", nameof(databaseName));
        }

        DatabaseName = databaseName;
        Server = server;
        ExternalConnectionString = externalConnectionString;

        // The database exists only once its server runs.
        AddWaitFor(server);
    }

    public string DatabaseName { get; }

    public PostgresServerResource Server { get; }

    public string? ExternalConnectionString { get; }

    /// <summary>Npgsql's format; the password is the server's, generated when its data folder was created.</summary>
    public string GetConnectionString(EnvironmentContext context) =>
        ExternalConnectionString
        ?? $"Host={EnvironmentContext.LoopbackHost};Port={Server.Port};Username={PostgresServerResource.SuperUser};" +
           $"Password={context.PasswordOf(Server)};Database={DatabaseName}";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}
