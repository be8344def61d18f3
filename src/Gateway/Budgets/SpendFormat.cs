using System.Globalization;

namespace AiPlatform.Gateway.Budgets;

/// <summary>
/// The spend counters Gateways add to and UsageApi reconciles from the ledger (mirrors UsageApi's constants):
/// string key <c>aig:spend:{key id}:{period}</c> holding USD as a decimal number, where period is <c>all</c>,
/// <c>d:YYYY-MM-DD</c> or <c>m:YYYY-MM</c> in UTC.
/// </summary>
public static class SpendFormat
{
    public const string Monthly = "monthly";
    public const string Daily = "daily";

    public static string Key(string keyId, string? budgetPeriod, DateTimeOffset now) =>
        $"aig:spend:{keyId}:{Period(budgetPeriod, now.UtcDateTime)}";

    /// <summary>When a daily or monthly counter may go (a day after its period ends); null for lifetime counters.</summary>
    public static DateTimeOffset? ExpiresAt(string? budgetPeriod, DateTimeOffset now) => PeriodEnd(budgetPeriod, now)?.AddDays(1);

    /// <summary>When the period holding <paramref name="now"/> ends, and with it the counter <see cref="Key"/> names; null for lifetime counters.</summary>
    public static DateTimeOffset? PeriodEnd(string? budgetPeriod, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        DateTime? end = budgetPeriod switch
        {
            Monthly => new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1),
            Daily => utc.Date.AddDays(1),
            _ => null,
        };
        return end is { } periodEnd ? new DateTimeOffset(periodEnd) : null;
    }

    public static string Period(string? budgetPeriod, DateTime utcNow) => budgetPeriod switch
    {
        Monthly => "m:" + utcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        Daily => "d:" + utcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => "all",
    };
}
