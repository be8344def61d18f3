namespace AiPlatform.UsageApi.AdminTokens;

/// <summary>A row of <c>admin_tokens</c> (mapped by <see cref="AdminTokenEntityConfiguration"/>).</summary>
public sealed class AdminTokenEntity
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the plain token; the token itself is never stored.</summary>
    public byte[] TokenHash { get; set; } = [];

    public string TokenPrefix { get; set; } = "";

    public string[] Scopes { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string CreatedByKind { get; set; } = "";

    public Guid? CreatedById { get; set; }

    public string CreatedByName { get; set; } = "";
}
