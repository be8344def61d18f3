namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// Admin tokens: <c>sk-aig-admin-</c> and 43 URL-safe base64 characters (32 random bytes). Anything else is refused
/// without a lookup.
/// </summary>
public static class AdminTokenFormat
{
    public const string Prefix = "sk-aig-admin-";
    public const int Length = 56;

    public static bool IsWellFormed(ReadOnlySpan<char> token)
    {
        if (token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in token[Prefix.Length..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
