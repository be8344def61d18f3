using System.Security.Claims;

namespace AiPlatform.Dashboard.SignIn;

/// <summary>
/// The admin credential a person signed in with (an admin token, or the master key), kept in the encrypted, HTTP-only
/// sign-in cookie: the Dashboard calls the admin APIs with it, so it can do no more than the credential allows.
/// </summary>
public static class AdminCredential
{
    public const string ClaimType = "aig:admin_credential";

    public static string? Of(ClaimsPrincipal user) => user.FindFirst(ClaimType)?.Value;
}
