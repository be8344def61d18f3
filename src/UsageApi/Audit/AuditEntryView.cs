using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiPlatform.UsageApi.Audit;

/// <summary>An audit entry as <c>GET /v1/audit</c> shows it.</summary>
public sealed record AuditEntryView(
    string Id, DateTimeOffset At, AuditActorView Actor, string ClientAddress, string Action, AuditTargetView Target, JsonElement? Before, JsonElement? After)
{
    [JsonPropertyOrder(-1)]
    public string Object => "audit.entry";

    public static AuditEntryView From(AuditEntryEntity entry) => new(
        entry.Id.ToString(CultureInfo.InvariantCulture),
        entry.At,
        new AuditActorView(entry.ActorKind, entry.ActorId, entry.ActorName),
        entry.ClientAddress,
        entry.Action,
        new AuditTargetView(entry.TargetType, entry.TargetId),
        Parse(entry.Before),
        Parse(entry.After));

    private static JsonElement? Parse(string? json) => json is null ? null : JsonElement.Parse(json);
}

public sealed record AuditActorView(string Kind, Guid? Id, string Name);

public sealed record AuditTargetView(string Type, string Id);

/// <summary>A page of the audit log, newest first; <see cref="NextCursor"/> reads on.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryView> Data, bool HasMore, string? NextCursor)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}
