using AiPlatform.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace AiPlatform.ServiceDefaults.Clients;

/// <summary>
/// Registers an <see cref="NpgsqlDataSource"/> (the connection pool) for <c>ConnectionStrings:{name}</c> and a
/// readiness check that runs <c>SELECT 1</c>, as Aspire's Npgsql client integration does.
/// </summary>
public static class NpgsqlClientExtensions
{
    public static TBuilder AddNpgsqlDataSource<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = ConnectionStrings.GetRequired(builder.Configuration, connectionName);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddHealthChecks().AddTypeActivatedCheck<PostgresHealthCheck>(
            connectionName, failureStatus: null, tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : TimedHealthCheck(TimeSpan.FromSeconds(3))
{
    protected override async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
