using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Keys;

namespace AiPlatform.Dashboard.Tests.Keys;

public sealed class KeyStatusTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_NoExpiryNotRevoked_Active() =>
        Assert.Equal(KeyState.Active, KeyStatus.Of(Key(), s_now));

    [Fact]
    public void Of_ExpiryAhead_Active() =>
        Assert.Equal(KeyState.Active, KeyStatus.Of(Key(expiresAt: s_now.AddTicks(1)), s_now));

    [Fact]
    public void Of_ExpiryNow_Expired() =>
        Assert.Equal(KeyState.Expired, KeyStatus.Of(Key(expiresAt: s_now), s_now));

    [Fact]
    public void Of_ExpiryPast_Expired() =>
        Assert.Equal(KeyState.Expired, KeyStatus.Of(Key(expiresAt: s_now.AddDays(-1)), s_now));

    [Fact]
    public void Of_RevokedAndExpired_Revoked() =>
        Assert.Equal(KeyState.Revoked, KeyStatus.Of(Key(expiresAt: s_now.AddDays(-1), revokedAt: s_now.AddDays(-2)), s_now));

    [Fact]
    public void Of_AdminTokenPastItsExpiry_Expired() =>
        Assert.Equal(KeyState.Expired, KeyStatus.Of(
            new AdminToken { TokenPrefix = "sk-aig-admin-abc", Name = "ci", ExpiresAt = s_now, CreatedBy = new("master", null, "master key") }, s_now));

    private static ApiKey Key(DateTimeOffset? expiresAt = null, DateTimeOffset? revokedAt = null) =>
        new() { Id = Guid.NewGuid(), KeyPrefix = "aig-abc", Name = "ci", ExpiresAt = expiresAt, RevokedAt = revokedAt };
}
