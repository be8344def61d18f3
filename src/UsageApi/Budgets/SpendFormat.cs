using System.Globalization;

namespace AiPlatform.UsageApi.Budgets;

/// <summary>
/// The contract between Gateways (which add to the spend counters as answers complete) and UsageApi (which raises them
/// to the ledger's sum): one Redis string per key and budget period.
/// </summary>
/// <remarks>
/// <para><b>Key:</b> <c>aig:spend:{key_id}:{period}</c>, where <c>{key_id}</c> is the key's id exactly as in its
/// record (<c>"id"</c>, a lowercase UUID) and <c>{period}</c> is the key's current budget period in UTC:</para>
/// <list type="bullet">
/// <item><c>all</c> when <c>budget_period</c> is null (the budget covers the key's life);</item>
/// <item><c>d:YYYY-MM-DD</c> when it is <c>"daily"</c>, e.g. <c>d:2026-01-31</c>;</item>
/// <item><c>m:YYYY-MM</c> when it is <c>"monthly"</c>, e.g. <c>m:2026-01</c>.</item>
/// </list>
/// <para><b>Value:</b> USD spent in that period as a decimal number (<c>INCRBYFLOAT</c>'s format, e.g.
/// <c>0.00123</c>); a missing key means 0. Gateways <c>INCRBYFLOAT</c> each answer's cost and refuse the key once the
/// value reaches <c>budget_usd</c>. Every <see cref="BudgetsOptions.ReconcileInterval"/> (default 30 s) UsageApi sets the counter of
/// each budgeted key's current period to <c>max(value, ledger sum)</c> in one Lua script: Redis may run ahead of the
/// ledger by events not yet ingested, and a flushed or lagging counter is raised to the truth, never lowered.</para>
/// <para><b>Expiry:</b> a counter of a daily or monthly period is useless once its period is over; when UsageApi
/// writes one it sets it to expire <see cref="ExpiryGrace"/> (1 day) after its period ends (<see cref="ExpiresAt"/>).
/// Gateways may set the same expiry when they create one; <c>all</c> counters never expire.</para>
/// </remarks>
public static class SpendFormat
{
    /// <summary>Prefix of every spend counter: <c>aig:spend:</c>.</summary>
    public const string RedisKeyPrefix = "aig:spend:";

    /// <summary>The period of a budget without <c>budget_period</c>: the key's whole life.</summary>
    public const string Lifetime = "all";

    /// <summary>Prefix of a daily period, followed by the UTC date <c>YYYY-MM-DD</c>.</summary>
    public const string DailyPrefix = "d:";

    /// <summary>Prefix of a monthly period, followed by the UTC month <c>YYYY-MM</c>.</summary>
    public const string MonthlyPrefix = "m:";

    /// <summary>How long a daily or monthly counter outlives its period.</summary>
    public static readonly TimeSpan ExpiryGrace = TimeSpan.FromDays(1);

    /// <summary>The counter of <paramref name="keyId"/> for <paramref name="period"/>: <c>aig:spend:{key_id}:{period}</c>.</summary>
    public static string RedisKey(string keyId, string period) => RedisKeyPrefix + keyId + ":" + period;

    /// <summary>The counter of <paramref name="keyId"/> for the period of <paramref name="budgetPeriod"/> that contains <paramref name="now"/>.</summary>
    public static string RedisKey(Guid keyId, BudgetPeriod? budgetPeriod, DateTimeOffset now) =>
        RedisKey(keyId.ToString("D"), Period(budgetPeriod, now));

    /// <summary>The period of <paramref name="budgetPeriod"/> that contains <paramref name="now"/>: <c>all</c>, <c>d:YYYY-MM-DD</c> or <c>m:YYYY-MM</c> (UTC).</summary>
    public static string Period(BudgetPeriod? budgetPeriod, DateTimeOffset now) => budgetPeriod switch
    {
        BudgetPeriod.Daily => DailyPrefix + now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        BudgetPeriod.Monthly => MonthlyPrefix + now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => Lifetime,
    };

    /// <summary>
    /// The half-open UTC range [start, end) of the period containing <paramref name="now"/>; for a lifetime budget,
    /// all of time (<see cref="DateTimeOffset.MinValue"/> to <see cref="DateTimeOffset.MaxValue"/>).
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Range(BudgetPeriod? budgetPeriod, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        switch (budgetPeriod)
        {
            case BudgetPeriod.Daily:
                var day = new DateTimeOffset(utc.Date, TimeSpan.Zero);
                return (day, day.AddDays(1));
            case BudgetPeriod.Monthly:
                var month = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
                return (month, month.AddMonths(1));
            default:
                return (DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        }
    }

    /// <summary>When the counter of the period containing <paramref name="now"/> may go; null for a lifetime counter.</summary>
    public static DateTimeOffset? ExpiresAt(BudgetPeriod? budgetPeriod, DateTimeOffset now) =>
        budgetPeriod is null ? null : Range(budgetPeriod, now).End + ExpiryGrace;
}
