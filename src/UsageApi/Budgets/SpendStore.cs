using AiPlatform.UsageApi.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiPlatform.UsageApi.Budgets;

/// <summary>
/// What the ledger says keys have spent in their current budget period: the keys' budgets come from the control plane
/// (EF Core), the sums from the ledger (SQL on the shared <see cref="NpgsqlDataSource"/>). Thread-safe.
/// </summary>
public sealed class SpendStore(IDbContextFactory<UsageDbContext> contextFactory, NpgsqlDataSource dataSource)
{
    // Each key's sum is an index-only scan of usage_records_key_time_idx over the partitions of its period (the bounds
    // are the key's own, so the partitions are pruned as each key's scan starts); a lifetime budget has no bounds.
    private const string SpentSql = """
        SELECT s.spent
        FROM unnest(@key_ids, @starts, @ends) WITH ORDINALITY AS k(key_id, start_at, end_at, n)
        CROSS JOIN LATERAL (
            SELECT coalesce(sum(r.cost_usd), 0) AS spent
            FROM usage_records r
            WHERE r.key_id = k.key_id
              AND r."timestamp" >= coalesce(k.start_at, '-infinity')
              AND r."timestamp" < coalesce(k.end_at, 'infinity')
        ) s
        ORDER BY k.n
        """;

    /// <summary>
    /// Every live key with a budget, with the ledger's sum of its records' cost in the period containing
    /// <paramref name="now"/>.
    /// </summary>
    public async Task<IReadOnlyList<KeySpend>> ListBudgetedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.BudgetUsd != null && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now))
            .OrderBy(k => k.Id)
            .Select(k => new { k.Id, k.BudgetPeriod, BudgetUsd = k.BudgetUsd!.Value })
            .ToListAsync(cancellationToken);
        if (keys.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(SpentSql);
        command.Parameters.AddWithValue("key_ids", keys.Select(k => k.Id.ToString("D")).ToArray());
        command.Parameters.AddWithValue("starts", keys.Select(k => Bound(k.BudgetPeriod, now).Start).ToArray());
        command.Parameters.AddWithValue("ends", keys.Select(k => Bound(k.BudgetPeriod, now).End).ToArray());

        var spends = new List<KeySpend>(keys.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
        {
            spends.Add(new KeySpend(keys[i].Id, keys[i].BudgetPeriod, keys[i].BudgetUsd, reader.GetDecimal(0)));
        }

        return spends;
    }

    /// <summary>The ledger's sum of cost for key <paramref name="keyId"/> in the period of <paramref name="budgetPeriod"/> containing <paramref name="now"/>.</summary>
    public async Task<decimal> GetSpentAsync(Guid keyId, BudgetPeriod? budgetPeriod, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (start, end) = SpendFormat.Range(budgetPeriod, now);
        await using var command = dataSource.CreateCommand(budgetPeriod is null
            ? "SELECT coalesce(sum(cost_usd), 0) FROM usage_records WHERE key_id = @key_id"
            : """SELECT coalesce(sum(cost_usd), 0) FROM usage_records WHERE key_id = @key_id AND "timestamp" >= @start AND "timestamp" < @end""");
        command.Parameters.AddWithValue("key_id", keyId.ToString("D"));
        if (budgetPeriod is not null)
        {
            command.Parameters.AddWithValue("start", start);
            command.Parameters.AddWithValue("end", end);
        }

        return (decimal)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // A lifetime budget's period is unbounded: null rather than the MinValue/MaxValue of SpendFormat.Range.
    private static (DateTimeOffset? Start, DateTimeOffset? End) Bound(BudgetPeriod? budgetPeriod, DateTimeOffset now) =>
        budgetPeriod is null ? (null, null) : SpendFormat.Range(budgetPeriod, now);
}

/// <summary>A budgeted key and what the ledger says it spent in its current period.</summary>
public sealed record KeySpend(Guid KeyId, BudgetPeriod? BudgetPeriod, decimal BudgetUsd, decimal SpentUsd);
