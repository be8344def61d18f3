using AiPlatform.Dashboard.Admin;

namespace AiPlatform.Dashboard.Backends;

/// <summary>A model on the Models page: what the Gateway serves it with, its price, and its recent use.</summary>
public sealed record ModelRow(string Model, ServedModel? Served, ModelPrice? Price, UsageSummaryRow? Usage)
{
    /// <summary>Every model that is served, priced or used, once, in name order.</summary>
    public static IReadOnlyList<ModelRow> Merge(IReadOnlyList<ServedModel> served, IReadOnlyList<ModelPrice> prices, IReadOnlyList<UsageSummaryRow> usage)
    {
        var servedBy = served.ToDictionary(model => model.Model, StringComparer.Ordinal);
        var priceOf = prices.ToDictionary(price => price.Model, StringComparer.Ordinal);
        var usageOf = usage.Where(row => row.Group is not null).ToDictionary(row => row.Group!, StringComparer.Ordinal);
        return [.. servedBy.Keys.Concat(priceOf.Keys).Concat(usageOf.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(model => new ModelRow(model, servedBy.GetValueOrDefault(model), priceOf.GetValueOrDefault(model), usageOf.GetValueOrDefault(model)))];
    }
}
