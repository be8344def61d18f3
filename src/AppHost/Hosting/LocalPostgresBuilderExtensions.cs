using System.Globalization;
using AiPlatform.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>Adds Debian's PostgreSQL as Aspire resources that run without containers.</summary>
public static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// A PostgreSQL server on 127.0.0.1:<paramref name="port"/>: <c>initdb</c> once into <paramref name="dataDirectory"/>
    /// (the superuser's password from <paramref name="password"/>, scram-sha-256 over TCP), then <c>postgres</c> in the
    /// foreground, ready (for <c>WaitFor</c>) when it accepts a login. Databases added with
    /// <see cref="AddDatabase"/> are created when missing as soon as it is ready.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, int port, PostgresBinaries binaries, string dataDirectory,
        IResourceBuilder<ParameterResource> password)
    {
        var storage = PostgresStorage.Resolve(dataDirectory, port);
        var serverArguments = new[]
        {
            binaries.Postgres,
            "-D", storage.DataDirectory,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", $"listen_addresses={LocalServers.LoopbackHost}",
            "-c", $"unix_socket_directories={storage.DataDirectory}",
        };
        var (command, arguments) = PostgresStorage.AsServerUser(serverArguments);
        var server = new LocalPostgresServerResource(name, command, storage.DataDirectory, password.Resource);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, ct) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            var superUserPassword = await password.Resource.GetValueAsync(ct).ConfigureAwait(false)
                ?? throw new DistributedApplicationException($"The parameter '{password.Resource.Name}' has no value.");
            await AppHostLog.OnConsoleTooAsync(@event.Services, server,
                () => PostgresCluster.InitializeAsync(storage, binaries, superUserPassword, logger, ct)).ConfigureAwait(false);
        });

        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, ct) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await AppHostLog.OnConsoleTooAsync(@event.Services, server, async () =>
            {
                await using var connection = new NpgsqlConnection(ServerConnectionString(connectionString, server));
                await connection.OpenAsync(ct).ConfigureAwait(false);
                foreach (var databaseName in server.Databases.Values)
                {
                    await PostgresCluster.CreateDatabaseIfMissingAsync(connection, databaseName, logger, ct).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => ServerConnectionString(connectionString, server), name: healthCheckKey);

        return builder.AddResource(server)
            // Not proxied: the services talk to the server itself, not to the orchestrator's proxy in front of it.
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalPostgresServerResource.PrimaryEndpointName, isProxied: false)
            .WithArgs(arguments)
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>A database on the server, created when missing once the server is ready; ready itself when it accepts a login.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(name, database.DatabaseName);

        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, ct) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));

        // The orchestrator passes a container's state on to its databases, not an executable's: this does it for ours.
        // The server's readiness comes after its handler above created the databases, so a database is Running only once
        // it exists; then its own health check decides when it is ready.
        builder.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(builder.Resource, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            }));
        builder.ApplicationBuilder.Eventing.Subscribe<ResourceStoppedEvent>(builder.Resource, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Exited,
                StopTimeStamp = DateTime.UtcNow,
            }));

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not known yet."),
            name: healthCheckKey);

        return builder.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// The server's own connection string on its maintenance database: without one, Npgsql would pick a database named
    /// after the user, which need not exist.
    /// </summary>
    private static string ServerConnectionString(string? connectionString, LocalPostgresServerResource server) =>
        connectionString is null
            ? throw new InvalidOperationException($"The connection string of '{server.Name}' is not known yet.")
            : connectionString + ";Database=postgres";
}
