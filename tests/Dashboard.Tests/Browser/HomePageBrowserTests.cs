using System.Text.RegularExpressions;
using AiPlatform.Testing.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AiPlatform.Dashboard.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class HomePageBrowserTests(BrowserFixture browser, DashboardServer dashboard) : IClassFixture<DashboardServer>
{
    [Fact]
    public Task Home_Opened_RendersWithoutConsoleErrors() => browser.RunAsync(async page =>
    {
        var errors = PageErrors.Watch(page);

        await page.GotoAsync(new Uri(dashboard.Url, "/").ToString());

        // Whatever "/" shows (the health table, or the sign-in form when signed out), it is one of our pages.
        await Expect(page).ToHaveTitleAsync(new Regex("AiPlatform"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        // blazor.web.js defines window.Blazor: the framework's static assets are served and the script runs.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        Assert.Empty(errors.ToList());
    });
}
