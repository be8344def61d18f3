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

    public static string Period(string? budgetPeriod, DateTime utcNow) => budgetPeriod switch
    {
        Monthly => "m:" + utcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        Daily => "d:" + utcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => "all",
    };
}
