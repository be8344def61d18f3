using System.Globalization;
using System.Security.Claims;
using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.Dashboard.SignIn;

/// <summary>
/// Who signed in, as UsageApi's <c>GET /v1/admin/me</c> describes the credential: the master key (every scope) or an
/// admin token with its own scopes. Kept as claims in the sign-in cookie beside the credential, so the Dashboard shows
/// only what the credential opens without asking UsageApi on every page; UsageApi still checks every call itself.
/// </summary>
public sealed record SignedInAdmin(string Kind, string? Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt = null)
{
    public const string KindClaimType = "aig:admin_kind";
    public const string IdClaimType = "aig:admin_id";
    public const string NameClaimType = "aig:admin_name";
    public const string ScopeClaimType = "aig:admin_scope";
    public const string ExpiresAtClaimType = "aig:admin_expires_at";

    /// <summary>Whether the credential opens something that needs <paramref name="scope"/>.</summary>
    public bool Grants(string scope) => AdminScopes.Grants(Scopes, scope);

    /// <summary>The cookie's claims: the credential the admin calls carry, and who it is.</summary>
    public ClaimsIdentity ToClaims(string credential, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, NameClaimType, ScopeClaimType);
        identity.AddClaim(new Claim(AdminCredential.ClaimType, credential));
        identity.AddClaim(new Claim(KindClaimType, Kind));
        identity.AddClaim(new Claim(NameClaimType, Name));
        if (Id is not null)
        {
            identity.AddClaim(new Claim(IdClaimType, Id));
        }

        if (ExpiresAt is { } expiresAt)
        {
            identity.AddClaim(new Claim(ExpiresAtClaimType, expiresAt.ToString("O", CultureInfo.InvariantCulture)));
        }

        identity.AddClaims(Scopes.Select(scope => new Claim(ScopeClaimType, scope)));
        return identity;
    }

    /// <summary>
    /// The signed-in identity from the cookie's claims; null without one (signed out, or a cookie from before scopes,
    /// which carries the credential alone).
    /// </summary>
    public static SignedInAdmin? Of(ClaimsPrincipal user)
    {
        if (user.FindFirst(KindClaimType)?.Value is not { } kind || user.FindFirst(NameClaimType)?.Value is not { } name)
        {
            return null;
        }

        var expiresAt = user.FindFirst(ExpiresAtClaimType)?.Value is { } expires
            ? DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : (DateTimeOffset?)null;
        return new SignedInAdmin(kind, user.FindFirst(IdClaimType)?.Value, name,
            [.. user.FindAll(ScopeClaimType).Select(claim => claim.Value)], expiresAt);
    }
}
