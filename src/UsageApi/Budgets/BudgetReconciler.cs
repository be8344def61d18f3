using Microsoft.Extensions.Options;

namespace AiPlatform.UsageApi.Budgets;

/// <summary>
/// Every <see cref="BudgetsOptions.ReconcileInterval"/>, and once at start, raises each budgeted key's spend counter
/// for its current period to the ledger's sum (see <see cref="SpendFormat"/>). Gateways add to the counters as
/// answers complete, so Redis normally runs ahead of the ledger by the events not yet ingested, and the counter is
/// kept; a counter that is behind (Redis flushed or restarted, a Gateway that could not reach Redis) is raised to the
/// truth. Counters are never lowered here. Replicas may reconcile at the same time: raising to a maximum is idempotent.
/// </summary>
public sealed class BudgetReconciler(
    SpendStore store,
    SpendCounters counters,
    IOptions<BudgetsOptions> options,
    TimeProvider time,
    ILogger<BudgetReconciler> logger) : BackgroundService
{
    /// <summary>Reconciles every budgeted key once; returns how many counters were raised. Safe to call at any time.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var spends = await store.ListBudgetedAsync(now, cancellationToken);
        // The multiplexer pipelines the scripts on one connection.
        var results = await Task.WhenAll(spends.Select(async spend =>
        {
            var redisKey = SpendFormat.RedisKey(spend.KeyId, spend.BudgetPeriod, now);
            var (raised, before) = await counters.RaiseAsync(redisKey, spend.SpentUsd, SpendFormat.ExpiresAt(spend.BudgetPeriod, now) - now);
            if (raised)
            {
                BudgetsLog.CounterRaised(logger, spend.KeyId, SpendFormat.Period(spend.BudgetPeriod, now), before ?? 0m, spend.SpentUsd);
            }

            return raised;
        }));

        var count = results.Count(raised => raised);
        BudgetsLog.Reconciled(logger, spends.Count, count);
        return count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, time);
        try
        {
            do
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Postgres or Redis away: the next tick tries again; the Gateways' counters keep working meanwhile.
                    BudgetsLog.ReconcileFailed(logger, options.Value.ReconcileInterval, ex.Message);
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
