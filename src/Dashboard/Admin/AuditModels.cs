using System.Text.Json;

namespace AiPlatform.Dashboard.Admin;

/// <summary>One change to the platform's settings, as <c>GET /v1/audit</c> lists it.</summary>
public sealed record AuditEntry
{
    public required string Id { get; init; }
    public DateTimeOffset At { get; init; }
    public required AuditActor Actor { get; init; }
    public string? ClientAddress { get; init; }

    /// <summary>What was done: <c>key.created</c>, <c>price.set</c>… (<see cref="AuditActions"/>).</summary>
    public required string Action { get; init; }

    public required AuditTarget Target { get; init; }

    /// <summary>The target before the change; null for a creation.</summary>
    public JsonElement? Before { get; init; }

    /// <summary>The target after the change; null for a deletion.</summary>
    public JsonElement? After { get; init; }
}

/// <summary>Who made a change: the master key, or an admin token (with its id).</summary>
public sealed record AuditActor(string Kind, string? Id, string Name);

/// <summary>What a change was made to: a key (its id), a price (its model) or an admin token (its id).</summary>
public sealed record AuditTarget(string Type, string Id);

/// <summary>A page of entries, newest first; <see cref="NextCursor"/> leads to older ones.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Data, bool HasMore, string? NextCursor);

/// <summary>The actions and target types the audit log records, for its filters.</summary>
public static class AuditActions
{
    public static IReadOnlyList<string> All { get; } =
    [
        "key.created", "key.updated", "key.payload_logging_switched", "key.revoked",
        "price.set", "price.deleted",
        "admin_token.created", "admin_token.revoked",
    ];

    public static IReadOnlyList<string> TargetTypes { get; } = ["key", "price", "admin_token"];
}
