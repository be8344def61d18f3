namespace AiPlatform.UsageApi.Audit;

/// <summary>A row of <c>audit_log</c> (mapped by <see cref="AuditEntryEntityConfiguration"/>); rows are only ever inserted.</summary>
public sealed class AuditEntryEntity
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public string ActorKind { get; set; } = "";

    public Guid? ActorId { get; set; }

    public string ActorName { get; set; } = "";

    public string ClientAddress { get; set; } = "";

    public string Action { get; set; } = "";

    public string TargetType { get; set; } = "";

    public string TargetId { get; set; } = "";

    /// <summary>The target as the admin API showed it before the change (JSON, never a secret); null when it did not exist.</summary>
    public string? Before { get; set; }

    /// <summary>The target after the change; null when it no longer exists.</summary>
    public string? After { get; set; }
}
