using AiPlatform.Dashboard.Admin;

namespace AiPlatform.Dashboard.Keys;

public enum KeyState
{
    Active,
    Expired,
    Revoked,
}

public static class KeyStatus
{
    public static KeyState Of(ApiKey key, DateTimeOffset now) =>
        key.RevokedAt is not null ? KeyState.Revoked
        : key.ExpiresAt is { } expiresAt && expiresAt <= now ? KeyState.Expired
        : KeyState.Active;
}
