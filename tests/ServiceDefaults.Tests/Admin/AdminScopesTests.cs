using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.ServiceDefaults.Tests.Admin;

public sealed class AdminScopesTests
{
    [Fact]
    public void All_EveryScope_TheEightDocumentedOnes() =>
        Assert.Equal(
            ["analytics:read", "logs:read", "payloads:read", "keys:read", "keys:write", "prices:write", "audit:read", "admin"],
            AdminScopes.All);

    [Theory]
    [InlineData("keys:read", "keys:read", true)]
    [InlineData("keys:write", "keys:read", true)]
    [InlineData("keys:write", "keys:write", true)]
    [InlineData("keys:read", "keys:write", false)]
    [InlineData("admin", "keys:write", true)]
    [InlineData("admin", "audit:read", true)]
    [InlineData("admin", "admin", true)]
    [InlineData("logs:read", "payloads:read", false)]
    [InlineData("payloads:read", "logs:read", false)]
    [InlineData("analytics:read", "prices:write", false)]
    [InlineData("prices:write", "analytics:read", false)]
    [InlineData("audit:read", "admin", false)]
    [InlineData("keys:write", "admin", false)]
    [InlineData("Admin", "keys:read", false)]
    [InlineData("ADMIN", "admin", false)]
    [InlineData("keys:*", "keys:read", false)]
    public void Grants_OneScope_OpensItselfWhatItIncludesAndNothingElse(string granted, string required, bool expected) =>
        Assert.Equal(expected, AdminScopes.Grants([granted], required));

    [Fact]
    public void Grants_NoScopes_NothingOpens()
    {
        foreach (var required in AdminScopes.All)
        {
            Assert.False(AdminScopes.Grants([], required));
        }
    }

    [Fact]
    public void Grants_Admin_OpensEveryScope()
    {
        foreach (var required in AdminScopes.All)
        {
            Assert.True(AdminScopes.Grants(["admin"], required), required);
        }
    }

    [Fact]
    public void Grants_EachScopeOtherThanAdminAndKeysWrite_OpensOnlyItself()
    {
        foreach (var granted in AdminScopes.All.Except(["admin", "keys:write"]))
        {
            Assert.Equal([granted], AdminScopes.All.Where(required => AdminScopes.Grants([granted], required)));
        }
    }

    [Theory]
    [InlineData(new[] { "logs:read" }, new[] { "analytics:read", "prices:write" }, false)]
    [InlineData(new[] { "prices:write" }, new[] { "analytics:read", "prices:write" }, true)]
    [InlineData(new[] { "analytics:read" }, new[] { "analytics:read", "prices:write" }, true)]
    [InlineData(new[] { "logs:read", "keys:write" }, new[] { "keys:read" }, true)]
    [InlineData(new[] { "admin" }, new[] { "audit:read" }, true)]
    [InlineData(new[] { "audit:read" }, new string[0], false)]
    [InlineData(new string[0], new[] { "audit:read" }, false)]
    public void GrantsAny_Scopes_TrueWhenOneOpensOneOfTheRequired(string[] granted, string[] anyOf, bool expected) =>
        Assert.Equal(expected, AdminScopes.GrantsAny(granted, anyOf));

    [Theory]
    [InlineData("admin", true)]
    [InlineData("keys:read", true)]
    [InlineData("keys", false)]
    [InlineData("Admin", false)]
    [InlineData("", false)]
    public void IsKnown_Scope_OnlyTheListedOnesExactly(string scope, bool expected) =>
        Assert.Equal(expected, AdminScopes.IsKnown(scope));
}
