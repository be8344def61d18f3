using AiPlatform.AppHost.Hosting;
using AiPlatform.ServiceDefaults.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Redis and Postgres as the run allows: an existing server when its connection string is configured; Aspire's stock
/// containers in publish mode (so the manifest names images) or when the user opts in; otherwise Debian's servers run
/// as executables, which needs no container runtime.
/// </summary>
internal static class DataStoreExtensions
{
    public static IResourceBuilder<IResourceWithConnectionString> AddRedisStore(
        this IDistributedApplicationBuilder builder, string name, PlatformOptions options)
    {
        if (HasConnectionString(builder, name))
        {
            return builder.AddConnectionString(name);
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddRedis(name).WithDataVolume();
        }

        if (options.UseContainers)
        {
            return builder.AddRedis(name, options.Redis.Port).WithDataVolume();
        }

        var redis = builder.AddLocalRedis(name, options.Redis.Port, Tools.FindOnPath("redis-server") ?? "redis-server", options.DataDirectory);
        if (!Path.IsPathRooted(redis.Resource.Command))
        {
            redis.WithAnnotation(new PrerequisiteAnnotation(
                $"redis-server was not found on PATH. Install it with: {Tools.InstallRedis}" +
                $"{Environment.NewLine}  (or use an existing Redis by setting ConnectionStrings__{name}, e.g. 127.0.0.1:6379)."));
        }

        return redis;
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddPostgresStore(
        this IDistributedApplicationBuilder builder, string serverName, string databaseName, PlatformOptions options)
    {
        if (HasConnectionString(builder, databaseName))
        {
            return builder.AddConnectionString(databaseName);
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddPostgres(serverName).WithDataVolume().AddDatabase(databaseName);
        }

        var password = builder.AddKeptSecret($"{serverName}-password", Path.Combine(options.DataDirectory, "postgres-password"));
        if (options.UseContainers)
        {
            return builder.AddPostgres(serverName, password: password, port: options.Postgres.Port).WithDataVolume().AddDatabase(databaseName);
        }

        var binaries = Tools.FindPostgres();
        var server = builder.AddLocalPostgres(serverName, options.Postgres.Port, binaries ?? PostgresBinaries.NotInstalled, options.DataDirectory, password);
        if (binaries is null)
        {
            server.WithAnnotation(new PrerequisiteAnnotation(
                $"PostgreSQL was not found (no initdb under /usr/lib/postgresql/*/bin or on PATH). Install it with: {Tools.InstallPostgres}" +
                $"{Environment.NewLine}  (or use an existing server by setting ConnectionStrings__{databaseName}, e.g. Host=db;Port=5432;Username=app;Password=…;Database={databaseName})."));
        }
        else if (Tools.IsRoot && Tools.FindOnPath("setpriv") is null)
        {
            server.WithAnnotation(new PrerequisiteAnnotation(
                $"setpriv was not found on PATH; it runs Postgres as the {PostgresStorage.OsUser} user, as Postgres refuses to run as root. Install it with: {Tools.InstallSetpriv}"));
        }

        return server.AddDatabase(databaseName);
    }

    private static bool HasConnectionString(IDistributedApplicationBuilder builder, string name) =>
        !string.IsNullOrEmpty(builder.Configuration[$"{KnownConfigNames.ConnectionStringsSection}:{name}"]);
}
