namespace AiPlatform.UsageApi.Prices;

/// <summary>A row of <c>model_prices</c> as EF Core reads and writes it (mapped by <see cref="ModelPriceEntityConfiguration"/>).</summary>
public sealed class ModelPriceEntity
{
    public string Model { get; set; } = "";

    public decimal InputPerMillionUsd { get; set; }

    public decimal OutputPerMillionUsd { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public ModelPrice ToModelPrice() => new(Model, InputPerMillionUsd, OutputPerMillionUsd, UpdatedAt);
}

/// <summary>
/// The one row of <c>model_prices_version</c>: the price table's version, bumped in the transaction of every change of
/// it. Inserted by the migration that creates the table; never inserted or deleted by the service.
/// </summary>
public sealed class PriceTableVersionEntity
{
    public bool Singleton { get; set; }

    public long Version { get; set; }
}
