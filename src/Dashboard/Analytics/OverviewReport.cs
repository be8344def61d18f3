using AiPlatform.Dashboard.Admin;

namespace AiPlatform.Dashboard.Analytics;

/// <summary>
/// Everything the Overview shows for one range and filter set, read from UsageApi in parallel: the totals (one
/// summary group over all the records, so the percentiles are the API's own), the time series, the top models and
/// keys, and what cache hits saved. Keys show by name only for a credential that may list them (<c>keys:read</c>), by
/// id otherwise.
/// </summary>
public sealed record OverviewReport(
    UsageSummaryRow Totals,
    IReadOnlyList<UsageTimeseriesPoint> Series,
    string Bucket,
    IReadOnlyList<UsageSummaryRow> TopModels,
    IReadOnlyList<UsageSummaryRow> TopKeys,
    IReadOnlyDictionary<string, string> KeyNames,
    CacheSavings CacheSavings)
{
    public const int TopCount = 8;

    public static async Task<OverviewReport> LoadAsync(AdminApi api, UsageQuery query, string bucket, bool withKeyNames, CancellationToken cancellationToken)
    {
        var totals = api.SummarizeAsync(query, "none", cancellationToken);
        var series = api.TimeseriesAsync(query, bucket, cancellationToken);
        var models = api.SummarizeAsync(query, "model", cancellationToken);
        var keys = api.SummarizeAsync(query, "key", cancellationToken);
        var cachedByModel = api.SummarizeAsync(query with { Cached = true }, "model", cancellationToken);
        var prices = api.ListPricesAsync(cancellationToken);
        var keyList = withKeyNames ? api.ListKeysAsync(includeRevoked: true, cancellationToken) : Task.FromResult<IReadOnlyList<ApiKey>>([]);
        await Task.WhenAll(totals, series, models, keys, cachedByModel, prices, keyList);

        return new OverviewReport(
            (await totals).FirstOrDefault() ?? new UsageSummaryRow(),
            await series,
            bucket,
            [.. (await models).Take(TopCount)],
            [.. (await keys).Take(TopCount)],
            (await keyList).ToDictionary(key => key.Id.ToString(), key => key.Name),
            CacheSavings.Of(await cachedByModel, await prices));
    }
}

/// <summary>
/// What cache hits saved: the tokens they answered, per model, at today's prices (a hit is recorded at no cost). Hits
/// of a model without a price are counted in <see cref="UnpricedHits"/> instead.
/// </summary>
public sealed record CacheSavings(decimal SavedUsd, long UnpricedHits)
{
    public static CacheSavings Of(IReadOnlyList<UsageSummaryRow> cachedByModel, IReadOnlyList<ModelPrice> prices)
    {
        var byModel = prices.ToDictionary(price => price.Model, StringComparer.Ordinal);
        decimal saved = 0;
        long unpriced = 0;
        foreach (var row in cachedByModel)
        {
            if (row.Group is { } model && byModel.TryGetValue(model, out var price))
            {
                saved += (row.PromptTokens * price.InputPerMillionUsd + row.CompletionTokens * price.OutputPerMillionUsd) / 1_000_000m;
            }
            else
            {
                unpriced += row.Requests;
            }
        }

        return new CacheSavings(decimal.Round(saved, 6), unpriced);
    }
}
