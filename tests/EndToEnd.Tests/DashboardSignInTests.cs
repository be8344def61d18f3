using System.Net;
using AiPlatform.EndToEnd.Tests.Hosting;
using AiPlatform.Testing;

namespace AiPlatform.EndToEnd.Tests;

/// <summary>The Dashboard under the AppHost signs a person in with the master key, checked by the real UsageApi.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardSignInTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Dashboard_SignedInWithTheMasterKey_ShowsTheOverview_AnonymousAndWrongKeyDoNot()
    {
        using var anonymous = Client(allowRedirects: false);
        using (var page = await anonymous.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        }

        using (var wrong = await DashboardSignInForm.PostAsync(anonymous, "sk-not-the-master-key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var person = Client(allowRedirects: true);
        using var signedIn = await DashboardSignInForm.PostAsync(person, fixture.MasterKey);

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var html = await signedIn.Content.ReadAsStringAsync();
        Assert.Matches("<h1[^>]*>Overview</h1>", html);
        Assert.Contains("Sign out", html, StringComparison.Ordinal);
    }

    private HttpClient Client(bool allowRedirects) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = allowRedirects, UseCookies = true })
        {
            BaseAddress = fixture.DashboardUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
}
