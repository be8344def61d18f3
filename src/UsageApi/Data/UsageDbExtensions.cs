using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace AiPlatform.UsageApi.Data;

public static class UsageDbExtensions
{
    /// <summary>The name of the health check Aspire's Npgsql integration registers for an unkeyed data source.</summary>
    public const string HealthCheckName = "PostgreSql";

    private static readonly TimeSpan s_healthCheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The usage database (<c>ConnectionStrings:usagedb</c>): one <see cref="NpgsqlDataSource"/> from Aspire's Npgsql
    /// integration (its health check, tracing and metrics), for the ledger's COPY and SQL, and <see cref="UsageDbContext"/>
    /// on that same data source for the control plane, so both share one connection pool. The schema is migrated at start,
    /// before any feature's background service runs: call this before adding the features.
    /// </summary>
    public static IHostApplicationBuilder AddUsageDb(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(KnownResourceNames.UsageDb);
        // Aspire's check waits as long as Postgres does; a server that hangs must turn /health Unhealthy soon instead.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(health =>
        {
            foreach (var registration in health.Registrations.Where(r => r.Name == HealthCheckName))
            {
                registration.Timeout = s_healthCheckTimeout;
            }
        });

        // A pooled factory rather than a scoped context: the stores are singletons used by background loops as well as
        // by requests, and each operation takes a context of its own.
        builder.Services.AddPooledDbContextFactory<UsageDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        // Aspire's retries on transient failures and command timeout for the context. Its health check, tracing and
        // metrics would only repeat the data source's, which sees the same connections.
        builder.EnrichNpgsqlDbContext<UsageDbContext>(settings =>
        {
            settings.DisableHealthChecks = true;
            settings.DisableTracing = true;
            settings.DisableMetrics = true;
        });

        builder.Services.AddOptions<MigrationOptions>()
            .BindConfiguration(MigrationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<UsageDbMigrator>();
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }
}
