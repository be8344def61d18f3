using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

using AiPlatform.Testing;

namespace AiPlatform.Dashboard.Tests.SignIn;

/// <summary>Sign-in with an admin credential, checked against the admin API; nothing of the Dashboard without it.</summary>
public sealed class SignInTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/logs")]
    [InlineData("/keys")]
    [InlineData("/models")]
    [InlineData("/backends")]
    [InlineData("/logs?key=00000000-0000-0000-0000-000000000001")]
    [InlineData("/not-a-page-either")]
    public async Task AnonymousPage_RedirectsToTheSignInForm(string path)
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/anything")]
    // The interactive pages' connection: without a sign-in, no circuit and so no page's data.
    [InlineData("/_blazor/negotiate?negotiateVersion=1")]
    [InlineData("/_blazor/disconnect")]
    public async Task AnonymousPost_Answers401WithoutRedirect(string path)
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_RightKey_SetsAnHttpOnlySameSiteCookieAndOpensTheReturnUrl()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await DashboardSignInForm.PostAsync(client, FakeAdminApi.Key, returnUrl: "/?range=24h");

        Assert.Equal("/?range=24h", LocalTarget(client, response));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("aig_dashboard=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(FakeAdminApi.Key, cookie, StringComparison.Ordinal);
        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task SignIn_ReturnUrlElsewhere_GoesHomeInstead()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await DashboardSignInForm.PostAsync(client, FakeAdminApi.Key, returnUrl: "//evil.example/");

        Assert.Equal("/", LocalTarget(client, response));
    }

    [Fact]
    public async Task SignIn_WrongKey_RefusedAndNoCookie()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await DashboardSignInForm.PostAsync(client, "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("does not open the admin API", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("aig_dashboard=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SignIn_TooManyFailures_RefusedWithoutAskingTheAdminApiEvenForTheRightKey()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin, ("Dashboard:SignIn:FailuresPerMinute", "3"));
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        for (var i = 0; i < 3; i++)
        {
            using var failed = await DashboardSignInForm.PostAsync(client, $"guess-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        var checks = admin.CredentialChecks;
        using var response = await DashboardSignInForm.PostAsync(client, FakeAdminApi.Key);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(checks, admin.CredentialChecks);
    }

    [Fact]
    public async Task SignOut_WithTheFormsToken_EndsTheSession_WithoutIt_Refused()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (await DashboardSignInForm.PostAsync(client, FakeAdminApi.Key))
        {
        }

        using var forged = await client.PostAsync(new Uri("/signout", UriKind.Relative), new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var token = DashboardSignInForm.TokenIn(home);
        Assert.True(token is not null, "The signed-in layout has no sign-out form.");
        using var signOut = await client.PostAsync(new Uri("/signout", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token!,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task SignIn_AdminApiDown_SaysSoAndSetsNoCookie()
    {
        await using var dashboard = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("services:usageapi:http:0", $"http://127.0.0.1:{Testing.FreePort.Next()}"));
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await DashboardSignInForm.PostAsync(client, FakeAdminApi.Key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("cannot be reached", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Where a redirect goes, as a path of the Dashboard; fails when it leaves the Dashboard.</summary>
    private static string LocalTarget(HttpClient client, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(client.BaseAddress!, response.Headers.Location!);
        Assert.Equal(client.BaseAddress!.Authority, target.Authority);
        return target.PathAndQuery;
    }

    private static WebApplicationFactory<Program> Dashboard(FakeAdminApi admin, params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("services:usageapi:http:0", admin.Url);
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
}
