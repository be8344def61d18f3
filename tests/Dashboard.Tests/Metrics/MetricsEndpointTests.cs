using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AiPlatform.Dashboard.Tests.SignIn;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Dashboard.Tests.Metrics;

/// <summary>The Dashboard's <c>/metrics</c>: a bearer credential checked by the admin API, outside the sign-in cookie.</summary>
public sealed class MetricsEndpointTests
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "authentication_error")]
    [InlineData("sk-aig-admin-wrong", HttpStatusCode.Unauthorized, "authentication_error")]
    // The fake's token has logs:read and audit:read only.
    [InlineData(FakeAdminApi.Token, HttpStatusCode.Forbidden, "permission_error")]
    [InlineData(FakeAdminApi.ThrottledKey, HttpStatusCode.TooManyRequests, "rate_limit_error")]
    public async Task Scrape_WithoutAGoodCredential_RefusedInOpenAisShapeWithoutRedirect(string? credential, HttpStatusCode status, string type)
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = SignInTests.Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.SendAsync(Scrape(credential));

        Assert.Equal(status, response.StatusCode);
        var error = JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Scrape_MasterKey_PrometheusTextOfTheDashboardsMetrics()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = SignInTests.Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await client.GetAsync(new Uri("/signin", UriKind.Relative))).Dispose();

        using var response = await client.SendAsync(Scrape(FakeAdminApi.Key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds_bucket{", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, admin.CredentialChecks);
    }

    private static HttpRequestMessage Scrape(string? credential)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return request;
    }
}
