using Microsoft.Extensions.Options;
using Npgsql;

namespace AiPlatform.UsageApi.Migrations;

/// <summary>
/// Brings the schema up to date before the service answers requests: with minimal hosting, hosted services
/// start before the server listens. Postgres may still be starting (containers, the AppHost), so connection
/// failures are retried with backoff until <see cref="MigrationOptions.StartupTimeout"/>; a failing script is not.
/// </summary>
public sealed class MigrationHostedService(
    MigrationRunner runner,
    IOptions<MigrationOptions> options,
    TimeProvider time,
    ILogger<MigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var migrations = MigrationCatalog.Load();
        var deadline = time.GetUtcNow() + options.Value.StartupTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                var applied = await runner.ApplyAsync(migrations, cancellationToken);
                MigrationLog.UpToDate(logger, applied, migrations.Count);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && time.GetUtcNow() + delay < deadline)
            {
                MigrationLog.WaitingForDatabase(logger, delay, ex.Message);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
