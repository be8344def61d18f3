using System.Text.Json.Serialization;
using AiPlatform.UsageApi.Audit;

namespace AiPlatform.UsageApi.AdminTokens;

/// <summary>An admin token as the API shows it; <see cref="Token"/> only in the answer to its creation.</summary>
public sealed record AdminTokenView(
    Guid Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Token,
    string TokenPrefix,
    string Name,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    AuditActorView CreatedBy)
{
    [JsonPropertyOrder(-1)]
    public string Object => "admin.token";

    public static AdminTokenView From(AdminTokenEntity token, string? plainToken = null) => new(
        token.Id, plainToken, token.TokenPrefix, token.Name, token.Scopes, token.CreatedAt, token.ExpiresAt, token.LastUsedAt, token.RevokedAt,
        new AuditActorView(token.CreatedByKind, token.CreatedById, token.CreatedByName));

    /// <summary>What the audit log keeps: the view less the last use, which changes with every request and is no change.</summary>
    public AdminTokenView ForAudit() => this with { Token = null, LastUsedAt = null };
}

/// <summary>Admin tokens in OpenAI's list shape.</summary>
public sealed record AdminTokenList(IReadOnlyList<AdminTokenView> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}
