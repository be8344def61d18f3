namespace AiPlatform.UsageApi.Ledger;

/// <summary>
/// Creates this month's and next month's partitions at start and every 6 hours, so that the first batch of a month
/// does not create its partition on the ingestion path, where the parent table's lock would wait for long analytics
/// queries to end. Ingestion still creates any partition it lacks (events replayed from long ago, a failed run here).
/// </summary>
public sealed class LedgerMaintenance(LedgerPartitions partitions, TimeProvider time, ILogger<LedgerMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan s_interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(s_interval, time);
        try
        {
            do
            {
                var now = time.GetUtcNow();
                try
                {
                    await partitions.EnsureAsync([now, now.AddMonths(1)], stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LedgerLog.PartitionMaintenanceFailed(logger, s_interval, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
