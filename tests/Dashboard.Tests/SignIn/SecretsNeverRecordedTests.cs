extern alias usageapi;

using System.Text.RegularExpressions;
using AiPlatform.Dashboard.Tests.Browser;
using AiPlatform.Testing;
using AiPlatform.Testing.Browser;
using AiPlatform.Testing.Telemetry;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AiPlatform.Dashboard.Tests.SignIn;

/// <summary>
/// A person in a real browser signs in with a wrong key and then the master key, opens every page that reads UsageApi,
/// and makes a virtual key on the Keys page (shown once, copied); a real UsageApi answers behind the Dashboard. Then
/// every log entry, span and metric tag the Dashboard produced is searched for the keys, the forwarder key and the
/// browser's cookies. None may appear.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecretsNeverRecordedTests(BrowserFixture browser, PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    private const string MasterKey = "sk-aig-master-never-recorded-0123456789abcdef";
    private const string WrongMasterKey = "sk-aig-master-never-recorded-0123456789abcdeX";
    private const string ForwarderKey = "sk-aig-fwd-never-recorded-0123456789abcdefghij";

    // The pages that read UsageApi as soon as they are interactive, after the Overview that the sign-in opens; Backends
    // reads the Gateway, which is not here.
    private static readonly string[] s_pages = ["Logs", "Keys", "Models and prices", "Audit log", "Admin tokens"];

    [Fact]
    public async Task Browsing_WithKnownSecrets_NoLogSpanOrMetricHoldsOne()
    {
        var telemetry = new RecordedTelemetry();
        var usageDb = await postgres.CreateDatabaseAsync();
        await using var usageApi = new WebApplicationFactory<usageapi::Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:usagedb", usageDb)
            .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
            .UseSetting("AIPLATFORM_MASTER_KEY", MasterKey)
            .UseSetting("AIPLATFORM_FORWARDER_KEY", ForwarderKey));
        var usageApiUrl = usageApi.StartOnLoopback();
        await using var dashboard = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("services:usageapi:http:0", usageApiUrl.ToString())
            .UseSetting("AIPLATFORM_FORWARDER_KEY", ForwarderKey)
            .ConfigureTestServices(telemetry.AddTo));
        var dashboardUrl = dashboard.StartOnLoopback();
        var key = "";
        IReadOnlyList<BrowserContextCookiesResult> cookies = [];

        await browser.RunAsync(async page =>
        {
            await page.GotoAsync(new Uri(dashboardUrl, "/").ToString());
            await Expect(page).ToHaveURLAsync(new Regex("/signin"));
            var credential = page.GetByLabel("Admin token or master key");
            await credential.FillAsync(WrongMasterKey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not open the admin API");
            await credential.FillAsync(MasterKey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
            await LoadedAsync(page);

            foreach (var title in s_pages)
            {
                await page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
                await LoadedAsync(page);
                if (title == "Keys")
                {
                    key = await CreateKeyAsync(page);
                }
            }

            cookies = await page.Context.CookiesAsync();
        });

        var recorded = telemetry.Collect(dashboard.Services);
        // The captures saw where a secret would most likely slip: the refused and the accepted sign-in, the calls to UsageApi.
        Assert.Contains(telemetry.Logs, text => text.Contains("Sign-in refused from", StringComparison.Ordinal));
        Assert.Contains(telemetry.Logs, text => text.Contains("Signed in from", StringComparison.Ordinal));
        Assert.Contains(recorded, text => text.Contains($"{usageApiUrl.Authority}/v1/keys", StringComparison.Ordinal));
        Assert.Contains(recorded, text => text.StartsWith("http.client.request.duration", StringComparison.Ordinal));
        Assert.Contains(cookies, cookie => cookie.Name.StartsWith("aig_dashboard", StringComparison.Ordinal));
        RecordedTelemetry.AssertNoneHolds(recorded, [
            ("master key", MasterKey), ("wrong master key", WrongMasterKey), ("key made on the Keys page", key), ("forwarder key", ForwarderKey),
            .. cookies.Select(cookie => ($"cookie {cookie.Name}", cookie.Value))]);
    }

    /// <summary>Makes a key in the Keys page's editor; returns it as the show-once dialog shows it, after copying it.</summary>
    private static async Task<string> CreateKeyAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "New key" }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Dialog);
        await editor.GetByLabel("Name").FillAsync("never recorded");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var shown = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "shown only this once" });
        await Expect(shown).ToBeVisibleAsync();
        var field = shown.GetByLabel("API key");
        var key = await field.InputValueAsync();
        Assert.StartsWith("sk-aig-", key, StringComparison.Ordinal);
        // A person selects the key to copy it by hand: the browser's events on the field carry its value to the server.
        await field.ClickAsync();
        await field.SelectTextAsync();
        // The Copy button hands it back to the browser through JS interop.
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await shown.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Copied to the clipboard.")).ToBeVisibleAsync();
        await shown.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "never recorded" })).ToContainTextAsync("active");
        return key;
    }

    private static Task LoadedAsync(IPage page) => Expect(page.Locator("[aria-label=Loading]")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
}
