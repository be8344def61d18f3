using AiPlatform.UsageApi.Budgets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// Maps <see cref="ApiKeyEntity"/> onto <c>api_keys</c> exactly as the SQL scripts of earlier versions created it:
/// the same snake_case names, types, defaults and checks, and the constraint names Postgres gave them, so that a
/// database made by those scripts and one made by the migrations are the same schema and later migrations apply to both.
/// </summary>
public sealed class ApiKeyEntityConfiguration : IEntityTypeConfiguration<ApiKeyEntity>
{
    public void Configure(EntityTypeBuilder<ApiKeyEntity> key)
    {
        key.ToTable("api_keys", table =>
        {
            table.HasCheckConstraint("api_keys_rpm_check", "rpm IS NULL OR rpm > 0");
            table.HasCheckConstraint("api_keys_tpm_check", "tpm IS NULL OR tpm > 0");
            table.HasCheckConstraint("api_keys_budget_usd_check", "budget_usd IS NULL OR budget_usd >= 0");
            table.HasCheckConstraint("api_keys_budget_period_check",
                $"budget_period IN ('{BudgetPeriods.Daily}', '{BudgetPeriods.Monthly}')");
        });

        key.HasKey(k => k.Id).HasName("api_keys_pkey");
        // A unique constraint, not only a unique index, as the column's UNIQUE made it.
        key.HasAlternateKey(k => k.KeyHash).HasName("api_keys_key_hash_key");
        // The list of live keys, newest first.
        key.HasIndex(k => k.CreatedAt, "api_keys_active_idx").IsDescending().HasFilter("revoked_at IS NULL");

        key.Property(k => k.Id).HasColumnName("id");
        key.Property(k => k.Name).HasColumnName("name");
        key.Property(k => k.KeyHash).HasColumnName("key_hash");
        key.Property(k => k.KeyPrefix).HasColumnName("key_prefix");
        key.Property(k => k.Rpm).HasColumnName("rpm");
        key.Property(k => k.Tpm).HasColumnName("tpm");
        key.Property(k => k.BudgetUsd).HasColumnName("budget_usd").HasPrecision(18, 6);
        key.Property(k => k.Models).HasColumnName("models").HasDefaultValueSql("'{}'");
        key.Property(k => k.ExpiresAt).HasColumnName("expires_at");
        key.Property(k => k.Metadata).HasColumnName("metadata").HasColumnType("jsonb").HasDefaultValueSql("'{}'");
        key.Property(k => k.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        key.Property(k => k.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
        key.Property(k => k.RevokedAt).HasColumnName("revoked_at");
        key.Property(k => k.CacheNamespace).HasColumnName("cache_namespace");
        key.Property(k => k.Version).HasColumnName("version").HasDefaultValueSql("1");
        // Stored as the words JSON uses, which the check constraint above admits.
        key.Property(k => k.BudgetPeriod).HasColumnName("budget_period").HasConversion(
            period => BudgetPeriods.ToName(period)!,
            name => BudgetPeriods.FromName(name));
        // Added by the TraceIdsAndPayloads migration, false for the keys that existed before it.
        key.Property(k => k.LogPayloads).HasColumnName("log_payloads");
    }
}
