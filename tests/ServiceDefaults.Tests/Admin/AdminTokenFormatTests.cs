using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.ServiceDefaults.Tests.Admin;

public sealed class AdminTokenFormatTests
{
    private const string Random43 = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

    [Theory]
    [InlineData("sk-aig-admin-" + Random43)]
    [InlineData("sk-aig-admin-0000000000000000000000000000000000000000000")]
    [InlineData("sk-aig-admin-___________________________________________")]
    public void IsWellFormed_PrefixAnd43UrlSafeCharacters_True(string token)
    {
        Assert.Equal(AdminTokenFormat.Length, token.Length);
        Assert.True(AdminTokenFormat.IsWellFormed(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-aig-admin-")]
    [InlineData("sk-aig-admin-" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd")]
    [InlineData("sk-aig-admin-" + Random43 + "f")]
    [InlineData("SK-AIG-ADMIN-" + Random43)]
    [InlineData("sk-aig-admim-" + Random43)]
    [InlineData("sk-aig-" + Random43 + "abcdef")]
    [InlineData("sk-aig-admin-" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcde")]
    [InlineData("sk-aig-admin-" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd=")]
    [InlineData("sk-aig-admin-" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd ")]
    [InlineData("sk-aig-admin-" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdé")]
    [InlineData("sk-aig-admin-" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd٣")]
    public void IsWellFormed_AnythingElse_False(string token) =>
        Assert.False(AdminTokenFormat.IsWellFormed(token));
}
