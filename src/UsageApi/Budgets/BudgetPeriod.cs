using System.Text.Json.Serialization;

namespace AiPlatform.UsageApi.Budgets;

/// <summary>
/// The calendar period (UTC) a key's <c>budget_usd</c> covers; a null period means the key's whole life. Written in
/// JSON (admin API and Redis key records) and in Postgres as <c>"daily"</c> / <c>"monthly"</c>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<BudgetPeriod>))]
public enum BudgetPeriod
{
    [JsonStringEnumMemberName(BudgetPeriods.Daily)]
    Daily,

    [JsonStringEnumMemberName(BudgetPeriods.Monthly)]
    Monthly,
}

/// <summary>The names of <see cref="BudgetPeriod"/> values, as JSON and the <c>api_keys.budget_period</c> column hold them.</summary>
public static class BudgetPeriods
{
    public const string Daily = "daily";
    public const string Monthly = "monthly";

    public static string? ToName(BudgetPeriod? period) => period switch
    {
        BudgetPeriod.Daily => Daily,
        BudgetPeriod.Monthly => Monthly,
        _ => null,
    };

    /// <summary>The period named <paramref name="name"/>, which must be one of the names.</summary>
    public static BudgetPeriod FromName(string name) =>
        TryParse(name, out var period) ? period!.Value : throw new ArgumentOutOfRangeException(nameof(name), name, "Not a budget period.");

    public static bool TryParse(string? name, out BudgetPeriod? period)
    {
        period = name switch
        {
            Daily => BudgetPeriod.Daily,
            Monthly => BudgetPeriod.Monthly,
            _ => null,
        };
        return period is not null;
    }
}
