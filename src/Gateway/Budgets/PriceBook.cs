using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using AiPlatform.ServiceDefaults.Hosting;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Budgets;

/// <summary>
/// Model prices as UsageApi publishes them (Redis hash <c>aig:prices</c>: model → JSON), refreshed in the background,
/// for the Gateway's running spend figure. The ledger computes the authoritative cost itself; a model missing here
/// simply adds nothing to the fast figure, and reconciliation catches up.
/// </summary>
public sealed class PriceBook(IConnectionMultiplexer redis, TimeProvider time, ILogger<PriceBook> logger) : BackgroundService
{
    public const string RedisKey = "aig:prices";
    private static readonly TimeSpan s_refreshInterval = TimeSpan.FromSeconds(10);

    private FrozenDictionary<string, ModelPrice> _prices = FrozenDictionary<string, ModelPrice>.Empty;

    /// <summary>USD for the given tokens at the model's price; 0 when the model has no price.</summary>
    public decimal CostOf(string? model, int promptTokens, int completionTokens) =>
        model is not null && _prices.TryGetValue(model, out var price)
            ? ((promptTokens * price.InputPerMillionUsd) + (completionTokens * price.OutputPerMillionUsd)) / 1_000_000m
            : 0m;

    public async Task RefreshAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(RedisKey);
        var prices = new Dictionary<string, ModelPrice>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (JsonSerializer.Deserialize((byte[])entry.Value!, PriceJsonContext.Default.ModelPrice) is { } price)
            {
                prices[entry.Name.ToString()] = price;
            }
        }

        _prices = prices.ToFrozenDictionary(StringComparer.Ordinal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(s_refreshInterval, time);
        do
        {
            try
            {
                await RefreshAsync();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
            {
                BudgetLog.PricesUnavailable(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }
}

public sealed record ModelPrice(
    [property: JsonPropertyName("input_per_million_usd")] decimal InputPerMillionUsd,
    [property: JsonPropertyName("output_per_million_usd")] decimal OutputPerMillionUsd);

[JsonSerializable(typeof(ModelPrice))]
internal sealed partial class PriceJsonContext : JsonSerializerContext;
