using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Usage;
using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.Gateway.Tests.Routing;

/// <summary>
/// The Gateway's admin endpoint with admin tokens: it asks the real UsageApi (introspection with the master key) on every
/// request, so a token's scopes decide, and a revocation holds from the next request.
/// </summary>
public sealed class AdminTokenAccessTests(LedgerFixture platform) : IClassFixture<LedgerFixture>
{
    private async Task<(string Id, string Token)> CreateTokenAsync(params string[] scopes)
    {
        using var admin = platform.Admin();
        using var response = await admin.PostAsJsonAsync("/v1/admin/tokens",
            new { name = "gateway test " + string.Join(' ', scopes), scopes, expires_at = DateTimeOffset.UtcNow.AddHours(1) });
        var json = JsonElement.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating a token answered {(int)response.StatusCode}: {json}");
        return (json.GetProperty("id").GetString()!, json.GetProperty("token").GetString()!);
    }

    private async Task<HttpResponseMessage> GetBackendsAsync(string credential)
    {
        using var client = new HttpClient { BaseAddress = platform.GatewayUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return await client.GetAsync(new Uri("/v1/admin/backends", UriKind.Relative));
    }

    private static async Task<JsonElement> ErrorOfAsync(HttpResponseMessage response) =>
        JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");

    [Theory]
    [InlineData(AdminScopes.AnalyticsRead)]
    [InlineData(AdminScopes.Admin)]
    public async Task Backends_TokenWithAScopeThatOpensIt_Returns200(string scope)
    {
        var (_, token) = await CreateTokenAsync(scope);

        using var response = await GetBackendsAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonElement.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(json.GetProperty("data").EnumerateArray(), model => model.GetProperty("model").GetString() == "sim");
    }

    [Theory]
    [InlineData(AdminScopes.LogsRead)]
    [InlineData(AdminScopes.KeysWrite)]
    [InlineData(AdminScopes.AuditRead)]
    public async Task Backends_TokenWithoutAnalyticsRead_Returns403NamingTheScope(string scope)
    {
        var (_, token) = await CreateTokenAsync(scope);

        using var response = await GetBackendsAsync(token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await ErrorOfAsync(response);
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Equal("insufficient_scope", error.GetProperty("code").GetString());
        Assert.Contains(AdminScopes.AnalyticsRead, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backends_TokenRevokedAtUsageApi_RefusedOnTheNextRequest()
    {
        var (id, token) = await CreateTokenAsync(AdminScopes.AnalyticsRead);
        using (var before = await GetBackendsAsync(token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var admin = platform.Admin())
        using (var revoked = await admin.DeleteAsync(new Uri($"/v1/admin/tokens/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        using var after = await GetBackendsAsync(token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("invalid_api_key", (await ErrorOfAsync(after)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Backends_UnknownToken_Returns401()
    {
        using var response = await GetBackendsAsync("sk-aig-admin-" + new string('x', 43));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Backends_UsageApiDown_TokensGet503AndTheMasterKeyStillWorks()
    {
        var (_, token) = await CreateTokenAsync(AdminScopes.AnalyticsRead);
        await platform.StopUsageApiAsync();
        try
        {
            using var withToken = await GetBackendsAsync(token);
            using var withMasterKey = await GetBackendsAsync(LedgerFixture.MasterKey);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, withToken.StatusCode);
            Assert.Equal("auth_unavailable", (await ErrorOfAsync(withToken)).GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.OK, withMasterKey.StatusCode);
        }
        finally
        {
            platform.StartUsageApi();
        }
    }
}
