using AiPlatform.UsageApi.AdminTokens;
using AiPlatform.UsageApi.Audit;
using AiPlatform.UsageApi.Keys;
using AiPlatform.UsageApi.Prices;
using Microsoft.EntityFrameworkCore;

namespace AiPlatform.UsageApi.Data;

/// <summary>
/// The control plane's tables: virtual keys, model prices, admin tokens and the audit log, mapped by the features' configurations
/// (<c>*EntityConfiguration</c>). The ledger (<c>usage_records</c>, partitioned by month, and <c>usage_payloads</c>) is
/// not in the model: it is written with binary COPY and read with hand-written SQL, both on the <c>NpgsqlDataSource</c>
/// this context shares; its DDL lives in the migrations as SQL.
/// </summary>
public sealed class UsageDbContext(DbContextOptions<UsageDbContext> options) : DbContext(options)
{
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();

    public DbSet<ModelPriceEntity> ModelPrices => Set<ModelPriceEntity>();

    public DbSet<PriceTableVersionEntity> PriceTableVersions => Set<PriceTableVersionEntity>();

    public DbSet<AdminTokenEntity> AdminTokens => Set<AdminTokenEntity>();

    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(UsageDbContext).Assembly);
}
