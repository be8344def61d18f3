using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiPlatform.UsageApi.Prices;

/// <summary>
/// Maps <see cref="ModelPriceEntity"/> onto <c>model_prices</c> exactly as the SQL scripts of earlier versions created
/// it, with Postgres's names for its constraints, so that both kinds of database are the same schema.
/// </summary>
public sealed class ModelPriceEntityConfiguration : IEntityTypeConfiguration<ModelPriceEntity>
{
    public void Configure(EntityTypeBuilder<ModelPriceEntity> price)
    {
        price.ToTable("model_prices", table =>
        {
            table.HasCheckConstraint("model_prices_input_per_million_usd_check", "input_per_million_usd >= 0");
            table.HasCheckConstraint("model_prices_output_per_million_usd_check", "output_per_million_usd >= 0");
        });

        price.HasKey(p => p.Model).HasName("model_prices_pkey");

        price.Property(p => p.Model).HasColumnName("model");
        price.Property(p => p.InputPerMillionUsd).HasColumnName("input_per_million_usd").HasPrecision(18, 9);
        price.Property(p => p.OutputPerMillionUsd).HasColumnName("output_per_million_usd").HasPrecision(18, 9);
        price.Property(p => p.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
    }
}

/// <summary>Maps <see cref="PriceTableVersionEntity"/> onto <c>model_prices_version</c>, a table of one row by its check.</summary>
public sealed class PriceTableVersionEntityConfiguration : IEntityTypeConfiguration<PriceTableVersionEntity>
{
    public void Configure(EntityTypeBuilder<PriceTableVersionEntity> version)
    {
        version.ToTable("model_prices_version", table => table.HasCheckConstraint("model_prices_version_singleton_check", "singleton"));

        version.HasKey(v => v.Singleton).HasName("model_prices_version_pkey");

        // The default is the schema's (its one row is inserted by SQL); EF Core never inserts one, so it needs no sentinel.
        version.Property(v => v.Singleton).HasColumnName("singleton").HasDefaultValueSql("true").ValueGeneratedNever();
        version.Property(v => v.Version).HasColumnName("version");
    }
}
