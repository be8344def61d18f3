using Npgsql;

namespace AiPlatform.UsageApi.Budgets;

/// <summary>What the ledger says keys have spent in their current budget period.</summary>
public sealed class SpendStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Every live key with a budget, with the ledger's sum of its records' cost in the period containing
    /// <paramref name="now"/>. One statement: each key's sum is an index-only scan of
    /// <c>usage_records_key_time_idx</c> over the partitions of its period.
    /// </summary>
    public async Task<IReadOnlyList<KeySpend>> ListBudgetedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day = SpendFormat.Range(BudgetPeriod.Daily, now);
        var month = SpendFormat.Range(BudgetPeriod.Monthly, now);
        await using var command = dataSource.CreateCommand($"""
            SELECT k.id, k.budget_period, k.budget_usd, s.spent
            FROM api_keys k
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(r.cost_usd), 0) AS spent
                FROM usage_records r
                WHERE r.key_id = k.id::text
                  AND r."timestamp" >= CASE k.budget_period WHEN '{BudgetPeriods.Daily}' THEN @day_start
                                                            WHEN '{BudgetPeriods.Monthly}' THEN @month_start
                                                            ELSE '-infinity' END
                  AND r."timestamp" < CASE k.budget_period WHEN '{BudgetPeriods.Daily}' THEN @day_end
                                                           WHEN '{BudgetPeriods.Monthly}' THEN @month_end
                                                           ELSE 'infinity' END
            ) s
            WHERE k.budget_usd IS NOT NULL
              AND k.revoked_at IS NULL
              AND (k.expires_at IS NULL OR k.expires_at > @now)
            ORDER BY k.id
            """);
        command.Parameters.AddWithValue("day_start", day.Start);
        command.Parameters.AddWithValue("day_end", day.End);
        command.Parameters.AddWithValue("month_start", month.Start);
        command.Parameters.AddWithValue("month_end", month.End);
        command.Parameters.AddWithValue("now", now);

        var spends = new List<KeySpend>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            BudgetPeriods.TryParse(reader.IsDBNull(1) ? null : reader.GetString(1), out var period);
            spends.Add(new KeySpend(reader.GetGuid(0), period, reader.GetDecimal(2), reader.GetDecimal(3)));
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
}

/// <summary>A budgeted key and what the ledger says it spent in its current period.</summary>
public sealed record KeySpend(Guid KeyId, BudgetPeriod? BudgetPeriod, decimal BudgetUsd, decimal SpentUsd);
