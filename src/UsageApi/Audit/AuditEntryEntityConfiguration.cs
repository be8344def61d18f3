using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AiPlatform.UsageApi.Audit;

/// <summary>
/// Maps <see cref="AuditEntryEntity"/> onto <c>audit_log</c>. A trigger (in the AdminTokensAndAudit migration) refuses
/// UPDATE, DELETE and TRUNCATE, so not even a bug in this service can rewrite history.
/// </summary>
public sealed class AuditEntryEntityConfiguration : IEntityTypeConfiguration<AuditEntryEntity>
{
    public void Configure(EntityTypeBuilder<AuditEntryEntity> entry)
    {
        entry.ToTable("audit_log");
        entry.HasKey(e => e.Id).HasName("audit_log_pkey");
        entry.HasIndex(e => new { e.TargetType, e.TargetId, e.Id }, "audit_log_target_idx").IsDescending(false, false, true);
        entry.HasIndex(e => new { e.ActorId, e.Id }, "audit_log_actor_idx").IsDescending(false, true);
        entry.HasIndex(e => new { e.Action, e.Id }, "audit_log_action_idx").IsDescending(false, true);
        entry.HasIndex(e => e.At, "audit_log_at_idx");

        entry.Property(e => e.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        entry.Property(e => e.At).HasColumnName("at");
        entry.Property(e => e.ActorKind).HasColumnName("actor_kind");
        entry.Property(e => e.ActorId).HasColumnName("actor_id");
        entry.Property(e => e.ActorName).HasColumnName("actor_name");
        entry.Property(e => e.ClientAddress).HasColumnName("client_address");
        entry.Property(e => e.Action).HasColumnName("action");
        entry.Property(e => e.TargetType).HasColumnName("target_type");
        entry.Property(e => e.TargetId).HasColumnName("target_id");
        entry.Property(e => e.Before).HasColumnName("before").HasColumnType("jsonb");
        entry.Property(e => e.After).HasColumnName("after").HasColumnType("jsonb");
    }
}
