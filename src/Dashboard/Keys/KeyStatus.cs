using AiPlatform.Dashboard.Admin;

namespace AiPlatform.Dashboard.Keys;

/// <summary>Whether a key or an admin token still opens anything, and if not, why.</summary>
public enum KeyState
{
    Active,
    Expired,
    Revoked,
}

public static class KeyStatus
{
    public static KeyState Of(ApiKey key, DateTimeOffset now) => Of(key.RevokedAt, key.ExpiresAt, now);

    public static KeyState Of(AdminToken token, DateTimeOffset now) => Of(token.RevokedAt, token.ExpiresAt, now);

    private static KeyState Of(DateTimeOffset? revokedAt, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        revokedAt is not null ? KeyState.Revoked
        : expiresAt is { } expiry && expiry <= now ? KeyState.Expired
        : KeyState.Active;
}
