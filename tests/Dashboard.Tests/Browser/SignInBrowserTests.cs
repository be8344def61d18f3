using System.Text.RegularExpressions;
using AiPlatform.Dashboard.Tests.SignIn;
using AiPlatform.Testing.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AiPlatform.Dashboard.Tests.Browser;

/// <summary>A person signs in, sees the platform, and signs out, in a real browser; a wrong key gets no further.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task SignIn_WrongThenRightKey_ShowsThePlatformThenSignOutLocksItAgain()
    {
        await using var admin = await FakeAdminApi.StartAsync();
        await using var dashboard = DashboardServer.Start(new Dictionary<string, string?> { ["services:usageapi:http:0"] = admin.Url });
        await browser.RunAsync(async page =>
        {
            var errors = PageErrors.Watch(page);
            await page.GotoAsync(new Uri(dashboard.Url, "/").ToString());
            await Expect(page).ToHaveURLAsync(new Regex("/signin"));

            var key = page.GetByLabel("Admin token or master key");
            await key.FillAsync("a-wrong-guess");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not open the admin API");

            await key.FillAsync(FakeAdminApi.Key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/signin"));
            await page.GotoAsync(new Uri(dashboard.Url, "/").ToString());
            await Expect(page).ToHaveURLAsync(new Regex("/signin"));
            // The refused sign-in answers 401 on purpose, which chromium reports as a failed load; nothing else may fail.
            Assert.DoesNotContain(errors.ToList(), error => !(error.Contains("/signin", StringComparison.Ordinal) && error.Contains("401", StringComparison.Ordinal)));
        });
    }
}
