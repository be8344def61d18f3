using System.Text.Json.Serialization;
using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.UsageApi.AdminTokens;

/// <summary>
/// Who a credential is: <c>GET /v1/admin/me</c> for the caller's own, <c>POST /v1/admin/introspect</c> for another
/// (<see cref="Active"/> false, and nothing else, when it opens nothing).
/// </summary>
public sealed record AdminIdentityView(
    bool Active,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind = null,
    Guid? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Scopes = null,
    DateTimeOffset? ExpiresAt = null)
{
    [JsonPropertyOrder(-1)]
    public string Object => "admin.identity";

    public static AdminIdentityView Inactive { get; } = new(false);

    public static AdminIdentityView From(AdminIdentity identity) =>
        new(true, identity.Kind, identity.Id, identity.Name, identity.Scopes, identity.ExpiresAt);
}
