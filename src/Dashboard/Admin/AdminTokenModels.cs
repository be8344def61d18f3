using System.Text.Json.Nodes;

namespace AiPlatform.Dashboard.Admin;

/// <summary>An admin token as <c>/v1/admin/tokens</c> shows it; <see cref="Token"/> only in the answer to its creation.</summary>
public sealed record AdminToken
{
    public Guid Id { get; init; }
    public string? Token { get; init; }
    public required string TokenPrefix { get; init; }
    public required string Name { get; init; }
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public required AuditActor CreatedBy { get; init; }
}

/// <summary>A token to create: UsageApi requires all three (a token never lives for ever).</summary>
public sealed record NewAdminToken(string Name, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt)
{
    /// <summary>The body of <c>POST /v1/admin/tokens</c>.</summary>
    public JsonObject ToBody() => new()
    {
        ["name"] = Name,
        ["scopes"] = new JsonArray([.. Scopes.Select(scope => (JsonNode)scope)]),
        ["expires_at"] = AdminJson.Time(ExpiresAt),
    };
}
