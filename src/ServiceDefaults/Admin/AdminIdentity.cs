using Microsoft.AspNetCore.Http;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// Who made an admin request: the master key, or an admin token with its id, name and scopes. The admin filter puts it
/// on the request (<see cref="Of"/>), for the scope check, the audit log and <c>GET /v1/admin/me</c>.
/// </summary>
public sealed record AdminIdentity(string Kind, Guid? Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt)
{
    public const string MasterKind = "master";
    public const string TokenKind = "token";

    public static AdminIdentity Master { get; } = new(MasterKind, null, "master key", [AdminScopes.Admin], null);

    public static AdminIdentity Token(Guid id, string name, IReadOnlyList<string> scopes, DateTimeOffset expiresAt) =>
        new(TokenKind, id, name, scopes, expiresAt);

    /// <summary>The identity the admin filter let through; throws on an endpoint without the filter, a programming error.</summary>
    public static AdminIdentity Of(HttpContext context) =>
        context.Features.Get<AdminIdentity>() ?? throw new InvalidOperationException("This endpoint is not behind the admin filter.");
}
