using AiPlatform.Dashboard.AdminTokens;
using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.Dashboard.Tests.AdminTokens;

public sealed class AdminTokenFormTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo s_paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public void ToNewToken_Preset_ExpiresThatManyDaysFromNow()
    {
        var form = Form();
        form.ValidDays = 7;

        Assert.Equal(s_now.AddDays(7), form.ToNewToken(s_now, s_paris).ExpiresAt);
    }

    /// <summary>The token works through its whole last day in the person's zone: until the midnight after it, in Paris.</summary>
    [Fact]
    public void ToNewToken_LastDay_ExpiresAtTheMidnightAfterItInTheZone()
    {
        var form = Form();
        form.ValidDays = null;
        form.LastDay = new DateTime(2026, 3, 20);

        Assert.Null(form.ExpiryError(s_now, s_paris));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 23, 0, 0, TimeSpan.Zero), form.ToNewToken(s_now, s_paris).ExpiresAt);
    }

    [Fact]
    public void ExpiryError_LastDayToday_None()
    {
        var form = Form();
        form.ValidDays = null;
        form.LastDay = new DateTime(2026, 3, 10);

        Assert.Null(form.ExpiryError(s_now, s_paris));
    }

    [Fact]
    public void ExpiryError_LastDayYesterday_SaysItIsPast()
    {
        var form = Form();
        form.ValidDays = null;
        form.LastDay = new DateTime(2026, 3, 9);

        Assert.Equal("The last day cannot be in the past.", form.ExpiryError(s_now, s_paris));
    }

    [Fact]
    public void ExpiryError_NoLastDayPicked_AsksForOne()
    {
        var form = Form();
        form.ValidDays = null;

        Assert.Equal("Pick the token's last day.", form.ExpiryError(s_now, s_paris));
    }

    [Fact]
    public void ScopesError_NoneTicked_AsksForOne() =>
        Assert.Equal("Pick at least one scope.", new AdminTokenForm { Name = "ci" }.ScopesError);

    [Fact]
    public void ToNewToken_ScopesTickedInAnyOrder_NameTrimmedScopesInTheirListOrder()
    {
        var form = new AdminTokenForm { Name = "  ci  " };
        form.Scopes.Add(AdminScopes.Admin);
        form.Scopes.Add(AdminScopes.LogsRead);

        var token = form.ToNewToken(s_now, s_paris);

        Assert.Equal("ci", token.Name);
        Assert.Equal([AdminScopes.LogsRead, AdminScopes.Admin], token.Scopes);
    }

    [Fact]
    public void ScopeDescriptions_EveryScope_HasOne() =>
        Assert.All(AdminScopes.All, scope => Assert.NotEmpty(ScopeDescriptions.Of(scope)));

    private static AdminTokenForm Form()
    {
        var form = new AdminTokenForm { Name = "ci" };
        form.Scopes.Add(AdminScopes.AnalyticsRead);
        return form;
    }
}
