using System.Text.Json.Serialization;
using AiPlatform.UsageApi.Keys;

namespace AiPlatform.UsageApi.Prices;

/// <summary>A model's price in USD per million tokens, as <c>model_prices</c> holds it and the admin API shows it.</summary>
public sealed record ModelPrice(string Model, decimal InputPerMillionUsd, decimal OutputPerMillionUsd, DateTimeOffset UpdatedAt)
{
    /// <summary>The price with trailing zeros of <c>numeric(18, 9)</c> dropped, as it was sent (0.600000000 → 0.6).</summary>
    public ModelPrice Trimmed() => this with
    {
        InputPerMillionUsd = Money.Trim(InputPerMillionUsd)!.Value,
        OutputPerMillionUsd = Money.Trim(OutputPerMillionUsd)!.Value,
    };
}

/// <summary>The price table in OpenAI's list shape: <c>{"object": "list", "data": [...]}</c>.</summary>
public sealed record ModelPriceList(IReadOnlyList<ModelPrice> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

/// <summary>The answer to a deletion: <c>{"model": "…", "deleted": true}</c>.</summary>
public sealed record ModelPriceDeleted(string Model, bool Deleted);
