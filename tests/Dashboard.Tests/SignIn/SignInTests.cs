using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

using AiPlatform.Testing;

namespace AiPlatform.Dashboard.Tests.SignIn;

/// <summary>
/// Sign-in with an admin token or the master key, checked by UsageApi's <c>GET /v1/admin/me</c>; nothing of the Dashboard
/// without it, and only what its scopes open with it.
/// </summary>
public sealed class SignInTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/logs")]
    [InlineData("/keys")]
    [InlineData("/models")]
    [InlineData("/backends")]
    [InlineData("/audit")]
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
    public async Task SignIn_AdminToken_TheLayoutNamesItAndListsOnlyThePagesItsScopesOpen()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await DashboardSignInForm.PostAsync(client, FakeAdminApi.Token, returnUrl: "/logs");

        Assert.Equal("/logs", LocalTarget(client, response));
        var logs = await client.GetStringAsync(new Uri("/logs", UriKind.Relative));
        Assert.Matches($"data-testid=\"signed-in-as\"[^>]*>{FakeAdminApi.TokenName}<", logs);
        // The token has logs:read and audit:read: the menu lists those pages and no other.
        Assert.Equal(["logs", "audit"], MenuLinks(logs));
        Assert.Matches("<h1[^>]*>Logs</h1>", logs);
    }

    [Theory]
    [InlineData("/", "analytics:read")]
    [InlineData("/keys", "keys:read")]
    [InlineData("/models", "analytics:read")]
    [InlineData("/backends", "analytics:read")]
    public async Task SignIn_AdminTokenOpensAPageWithoutItsScope_TheMissingScopeNamedInstead(string path, string scope)
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (await DashboardSignInForm.PostAsync(client, FakeAdminApi.Token))
        {
        }

        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));

        Assert.Contains($"This page needs the <code>{scope}</code> scope", html, StringComparison.Ordinal);
        Assert.Equal(1, admin.CredentialChecks);
    }

    [Fact]
    public async Task SignIn_UsageApiThrottlesTheAddress_SaysHowLongToWaitAndSetsNoCookie()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = Dashboard(admin);
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await DashboardSignInForm.PostAsync(client, FakeAdminApi.ThrottledKey);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("Too many failed attempts; try again in 42 s.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("aig_dashboard=", StringComparison.Ordinal)));
    }

    /// <summary>A token expires on its own schedule, not the session's: past it the Dashboard asks for a sign-in again.</summary>
    [Fact]
    public async Task Session_AdminTokenExpired_BackToTheSignInForm()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        var clock = new ManualClock(FakeAdminApi.TokenExpiresAt.AddHours(-1));
        await using var dashboard = Dashboard(admin).WithWebHostBuilder(web => web.ConfigureServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (await DashboardSignInForm.PostAsync(client, FakeAdminApi.Token))
        {
        }

        using (var before = await client.GetAsync(new Uri("/logs", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        clock.Advance(TimeSpan.FromHours(2));
        using var after = await client.GetAsync(new Uri("/logs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
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

    /// <summary>The menu's links as the layout rendered them, in order.</summary>
    private static string[] MenuLinks(string html) =>
        [.. Regex.Matches(html, "<a [^>]*class=\"mud-nav-link[^>]*>").Select(link => Regex.Match(link.Value, "href=\"([^\"]*)\"").Groups[1].Value)];

    /// <summary>Where a redirect goes, as a path of the Dashboard; fails when it leaves the Dashboard.</summary>
    private static string LocalTarget(HttpClient client, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(client.BaseAddress!, response.Headers.Location!);
        Assert.Equal(client.BaseAddress!.Authority, target.Authority);
        return target.PathAndQuery;
    }

    internal static WebApplicationFactory<Program> Dashboard(FakeAdminApi admin, params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("services:usageapi:http:0", admin.Url);
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
}
