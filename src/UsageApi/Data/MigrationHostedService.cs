using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AiPlatform.UsageApi.Data;

/// <summary>
/// Brings the schema up to date before the service answers requests: with minimal hosting, hosted services start
/// before the server listens, and this one is registered before every feature's. Postgres may still be starting
/// (containers, the AppHost), so connection failures are retried with backoff until
/// <see cref="MigrationOptions.StartupTimeout"/>; a failing migration is not.
/// </summary>
public sealed class MigrationHostedService(
    UsageDbMigrator migrator,
    IOptions<MigrationOptions> options,
    TimeProvider time,
    ILogger<MigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.Value.StartupTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (IsTransient(ex) && time.GetUtcNow() + delay < deadline)
            {
                MigrationLog.WaitingForDatabase(logger, delay, ex.Message);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Opening the connection fails with Npgsql's own exception; a failure inside EF Core's migrator comes after EF Core's
    // retries, wrapped.
    private static bool IsTransient(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } or RetryLimitExceededException { InnerException: NpgsqlException { IsTransient: true } };
}
