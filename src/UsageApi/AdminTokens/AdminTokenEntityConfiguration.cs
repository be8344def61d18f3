using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiPlatform.UsageApi.AdminTokens;

public sealed class AdminTokenEntityConfiguration : IEntityTypeConfiguration<AdminTokenEntity>
{
    public void Configure(EntityTypeBuilder<AdminTokenEntity> token)
    {
        token.ToTable("admin_tokens", table => table.HasCheckConstraint("admin_tokens_scopes_check", "cardinality(scopes) > 0"));
        token.HasKey(t => t.Id).HasName("admin_tokens_pkey");
        token.HasAlternateKey(t => t.TokenHash).HasName("admin_tokens_token_hash_key");

        token.Property(t => t.Id).HasColumnName("id");
        token.Property(t => t.Name).HasColumnName("name");
        token.Property(t => t.TokenHash).HasColumnName("token_hash");
        token.Property(t => t.TokenPrefix).HasColumnName("token_prefix");
        token.Property(t => t.Scopes).HasColumnName("scopes");
        token.Property(t => t.CreatedAt).HasColumnName("created_at");
        token.Property(t => t.ExpiresAt).HasColumnName("expires_at");
        token.Property(t => t.LastUsedAt).HasColumnName("last_used_at");
        token.Property(t => t.RevokedAt).HasColumnName("revoked_at");
        token.Property(t => t.CreatedByKind).HasColumnName("created_by_kind");
        token.Property(t => t.CreatedById).HasColumnName("created_by_id");
        token.Property(t => t.CreatedByName).HasColumnName("created_by_name");
    }
}
