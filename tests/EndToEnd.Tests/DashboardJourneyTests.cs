using System.ClientModel;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiPlatform.EndToEnd.Tests.Hosting;
using AiPlatform.Testing.Browser;
using Microsoft.Playwright;
using OpenAI;
using OpenAI.Chat;
using static Microsoft.Playwright.Assertions;

namespace AiPlatform.EndToEnd.Tests;

/// <summary>
/// A person's day with the Dashboard, in Debian's chromium against the AppHost-run platform: sign in, make a key and
/// copy it, send traffic with the OpenAI SDK, see it on the Overview (the same numbers as the admin API) and in the
/// Logs, switch payload logging on and read a prompt back, revoke the key and see the Gateway refuse it, sign out.
/// </summary>
/// <remarks>
/// With <c>AIG_DOCS_SCREENSHOTS</c> set to a folder, it also saves the Overview, Logs and Keys at 1280 px there
/// (<c>scripts/screenshots.sh</c> does this for <c>docs/</c>).
/// </remarks>
[Collection(AppHostCollection.Name)]
public sealed partial class DashboardJourneyTests(AppHostFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private const string Model = "sim";

    // The ledger is fed in batches; the Overview refreshes every 5 s. Both are well within this.
    private static readonly LocatorAssertionsToContainTextOptions s_ledger = new() { Timeout = 30_000 };

    private readonly AdminApi _admin = new(fixture);
    private readonly string? _screenshots = Environment.GetEnvironmentVariable("AIG_DOCS_SCREENSHOTS");

    public void Dispose() => _admin.Dispose();

    [Fact]
    public Task Journey_SignInKeyTrafficLogsPayloadRevokeSignOut() => browser.RunAsync(async page =>
    {
        await page.SetViewportSizeAsync(1280, 900);
        var errors = PageErrors.Watch(page);
        var name = $"journey-{Guid.NewGuid():N}"[..20];

        await SignInAsync(page, fixture.MasterKey);

        var (keyId, key) = await CreateKeyAsync(page, name);
        var prompts = new[] { "Journey: one ledger line.", "Journey: a second line.", "Journey: a third line." };
        foreach (var prompt in prompts)
        {
            await ChatAsync(key, prompt);
        }

        await OverviewShowsTheAdminApisNumbersAsync(page, keyId, prompts.Length);
        await LogsShowTheRequestsAsync(page, keyId, prompts.Length);

        var marker = $"journey payload {Guid.NewGuid():N}";
        await SwitchPayloadLoggingOnAsync(page, name);
        await ChatAsync(key, marker);
        await LogsShowThePayloadAsync(page, keyId, prompts.Length + 1, marker);

        await ScreenshotAsync(page, "keys", "/keys");
        await EveryPageIsLabelledKeyboardReachableAndFitsAPhoneAsync(page);
        await RevokeAsync(page, name);
        await GatewayRefusesAsync(key);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.GotoAsync(Url("/keys"));
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));

        // The wrong sign-in of a real person is not part of this journey: every request of it went through.
        Assert.Empty(errors.ToList());
    });

    /// <summary>
    /// An admin token that may read everything and change nothing signs in: the menu lists every page, each page opens,
    /// and none shows a control that would change a key, a price or a token; the audit log shows the token's creation.
    /// </summary>
    [Fact]
    public Task Journey_ReadOnlyAdminToken_EveryPageOpensWithNothingThatChangesAndTheAuditShowsTheToken() => browser.RunAsync(async page =>
    {
        await page.SetViewportSizeAsync(1280, 900);
        var errors = PageErrors.Watch(page);
        var name = $"read-only-{Guid.NewGuid():N}"[..24];
        var (tokenId, token) = await CreateAdminTokenAsync(name, ["analytics:read", "logs:read", "keys:read", "audit:read"]);

        await SignInAsync(page, token);

        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(name);
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" });
        var titles = (await menu.GetByRole(AriaRole.Link).AllInnerTextsAsync()).Select(title => title.Trim()).ToArray();
        Assert.Equal(["Overview", "Logs", "Keys", "Models and prices", "Backends", "Audit log"], titles);
        foreach (var title in titles)
        {
            await menu.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            await LoadedAsync(page);
            await Expect(page.GetByTestId("missing-scope")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("load-error")).ToHaveCountAsync(0);
            var controls = await page.EvaluateAsync<string[]>(EnabledControlsScript);
            Assert.True(!controls.Any(control => ChangingControl().IsMatch(control)),
                $"{title} shows a control that changes something to a read-only token: {string.Join(" | ", controls)}");
            Assert.Contains("Sign out", controls);
        }

        // The Audit page is open: the token's creation, by the master key, is its entry.
        await page.GetByLabel("Target id").FillAsync(tokenId.ToString());
        await page.GetByLabel("Target id").PressAsync("Enter");
        var created = page.GetByTestId("entries").Locator("tbody tr");
        await Expect(created).ToHaveCountAsync(1);
        await Expect(created).ToContainTextAsync("admin_token.created");
        await Expect(created).ToContainTextAsync("master key");
        await created.GetByRole(AriaRole.Button, new() { Name = "Open change" }).ClickAsync();
        await Expect(page.GetByTestId("audit-detail").GetByTestId("diff")).ToContainTextAsync(name);

        Assert.Empty(errors.ToList());
    });

    /// <summary>
    /// The master key makes an admin token in the Dashboard, reads it from the show-once dialog, and UsageApi knows it
    /// with its one scope; revoked in the Dashboard, it is refused from the next call on, and the audit log shows both.
    /// </summary>
    [Fact]
    public Task Journey_MasterKeyAdminToken_CreatedUsedRevokedAndAudited() => browser.RunAsync(async page =>
    {
        await page.SetViewportSizeAsync(1280, 900);
        var errors = PageErrors.Watch(page);
        var name = $"ui-token-{Guid.NewGuid():N}"[..24];
        await SignInAsync(page, fixture.MasterKey);

        await page.GetByRole(AriaRole.Link, new() { Name = "Admin tokens" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin tokens", Level = 1 })).ToBeVisibleAsync();
        await LoadedAsync(page);
        await Expect(page.GetByTestId("break-glass")).ToContainTextAsync("break-glass");
        await page.GetByRole(AriaRole.Button, new() { Name = "New token" }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Dialog);
        await editor.GetByLabel("Name").FillAsync(name);
        await editor.GetByRole(AriaRole.Checkbox, new() { Name = "analytics:read", Exact = true }).CheckAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var shown = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "shown only this once" });
        await Expect(shown).ToBeVisibleAsync();
        var token = await shown.GetByLabel("Admin token", new() { Exact = true }).InputValueAsync();
        Assert.StartsWith("sk-aig-admin-", token, StringComparison.Ordinal);
        await shown.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(row).ToContainTextAsync("active");
        await Expect(row).ToContainTextAsync("analytics:read");

        var (status, me) = await AdminMeAsync(token);
        Assert.Equal(200, status);
        Assert.Equal(["analytics:read"], me!.Value.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));
        var tokenId = me.Value.GetProperty("id").GetGuid();

        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = $"Revoke {name}?" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.GetByText($"Revoked {name}.")).ToBeVisibleAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(401, (await AdminMeAsync(token)).Status);

        await page.GotoAsync(Url($"/audit?target_type=admin_token&target_id={tokenId}"));
        await LoadedAsync(page);
        var entries = page.GetByTestId("entries").Locator("tbody tr");
        await Expect(entries).ToHaveCountAsync(2);
        await Expect(entries.Nth(0)).ToContainTextAsync("admin_token.revoked");
        await Expect(entries.Nth(1)).ToContainTextAsync("admin_token.created");

        Assert.Empty(errors.ToList());
    });

    private async Task SignInAsync(IPage page, string credential)
    {
        await page.GotoAsync(Url("/"));
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.GetByLabel("Admin token or master key").FillAsync(credential);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await LoadedAsync(page);
    }

    private async Task<(Guid Id, string Key)> CreateKeyAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Keys" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keys", Level = 1 })).ToBeVisibleAsync();
        await LoadedAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "New key" }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Dialog);
        await editor.GetByLabel("Name").FillAsync(name);
        await editor.GetByLabel("Requests per minute").FillAsync("600");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var shown = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "shown only this once" });
        await Expect(shown).ToBeVisibleAsync();
        var key = await shown.GetByLabel("API key").InputValueAsync();
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);

        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await shown.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Copied to the clipboard.")).ToBeVisibleAsync();
        Assert.Equal(key, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await shown.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(row).ToContainTextAsync("active");
        await Expect(row).ToContainTextAsync("600");
        var href = await row.GetByRole(AriaRole.Link, new() { Name = $"Requests of {name}" }).GetAttributeAsync("href");
        return (Guid.Parse(KeyOfLogsLink().Match(href!).Groups[1].Value), key);
    }

    /// <summary>The Overview, filtered to the key, shows what the admin API's summary says, digit for digit.</summary>
    private async Task OverviewShowsTheAdminApisNumbersAsync(IPage page, Guid keyId, int requests)
    {
        await page.GotoAsync(Url($"/?key={keyId}"));
        await Expect(page.GetByTestId("stat-requests")).ToContainTextAsync(new Regex($@"Requests\s*{requests}\s*0 errors"), s_ledger);

        var summary = await _admin.SummaryOfKeyAsync(keyId);
        Assert.Equal(requests, summary.GetProperty("requests").GetInt64());
        await Expect(page.GetByTestId("stat-tokens")).ToContainTextAsync(
            $"{Count(summary, "prompt_tokens")} / {Count(summary, "completion_tokens")}");
        await Expect(page.GetByTestId("stat-cost")).ToContainTextAsync(Usd(summary.GetProperty("cost_usd").GetDecimal()));
        await Expect(page.GetByTestId("stat-latency")).ToContainTextAsync($"{summary.GetProperty("latency_ms_p50").GetInt32()} ms");
        await ScreenshotAsync(page, "overview", null);
    }

    private async Task LogsShowTheRequestsAsync(IPage page, Guid keyId, int requests)
    {
        await page.GotoAsync(Url($"/logs?key={keyId}"));
        var rows = await RecordsAsync(page, requests);

        await rows.First.GetByRole(AriaRole.Link, new() { Name = "Open request" }).ClickAsync();
        var detail = page.GetByTestId("record-detail");
        await Expect(detail).ToContainTextAsync("Request id");
        await Expect(detail.GetByTestId("no-payload")).ToBeVisibleAsync();
        await Expect(detail.GetByTestId("trace")).ToHaveTextAsync(new Regex("^[0-9a-f]{32}$"));
        await detail.GetByRole(AriaRole.Button, new() { Name = "Close the detail" }).ClickAsync();
        await Expect(detail).ToBeHiddenAsync();
        await ScreenshotAsync(page, "logs", $"/logs?key={keyId}");
    }

    /// <summary>The Logs page (already opened for the key) once it lists <paramref name="count"/> records; it reloads until then, as a person would.</summary>
    private static async Task<ILocator> RecordsAsync(IPage page, int count)
    {
        var rows = page.GetByTestId("records").Locator("tbody tr");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await LoadedAsync(page);
            if (await rows.CountAsync() == count || DateTime.UtcNow > deadline)
            {
                await Expect(rows).ToHaveCountAsync(count);
                return rows;
            }

            await Task.Delay(1000);
            await page.ReloadAsync();
        }
    }

    /// <summary>
    /// Waits until the page has loaded its data, which it does once interactive: until then (prerendered) its buttons
    /// do nothing.
    /// </summary>
    private static Task LoadedAsync(IPage page) => Expect(page.Locator("[aria-label=Loading]")).ToHaveCountAsync(0, new() { Timeout = 15_000 });

    private async Task SwitchPayloadLoggingOnAsync(IPage page, string name)
    {
        await page.GotoAsync(Url("/keys"));
        await LoadedAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit {name}" }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Dialog);
        await editor.GetByRole(AriaRole.Switch, new() { Name = "Log payloads" }).CheckAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByText($"Saved {name}.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync("payloads");
        // Every Gateway has the key's new record within a second (the admin API's promise).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
    }

    private async Task LogsShowThePayloadAsync(IPage page, Guid keyId, int requests, string marker)
    {
        await page.GotoAsync(Url($"/logs?key={keyId}"));
        var rows = await RecordsAsync(page, requests);

        await rows.First.GetByRole(AriaRole.Link, new() { Name = "Open request" }).ClickAsync();
        var detail = page.GetByTestId("record-detail");
        await Expect(detail.GetByTestId("payload-request")).ToContainTextAsync(marker);
        await Expect(detail.GetByTestId("payload-response")).Not.ToBeEmptyAsync();
    }

    private async Task EveryPageIsLabelledKeyboardReachableAndFitsAPhoneAsync(IPage page)
    {
        string[] pages = ["/", "/logs", "/keys", "/models", "/backends", "/audit", "/tokens"];
        foreach (var path in pages)
        {
            await page.GotoAsync(Url(path));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await LoadedAsync(page);
            Assert.Empty(await PageChecks.UnlabelledControlsAsync(page));
        }

        // From the Overview to the Keys page with the keyboard alone.
        await page.GotoAsync(Url("/"));
        await LoadedAsync(page);
        var keysLink = page.GetByRole(AriaRole.Link, new() { Name = "Keys", Exact = true });
        Assert.True(await PageChecks.TabToAsync(page, keysLink), "Tab never reached the Keys link");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keys", Level = 1 })).ToBeVisibleAsync();

        // At phone width every page fits the screen (tables become cards) and the menu opens from its button.
        await page.SetViewportSizeAsync(390, 844);
        foreach (var path in pages)
        {
            await page.GotoAsync(Url(path));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await LoadedAsync(page);
            Assert.False(await PageChecks.OverflowsSidewaysAsync(page), $"{path} is wider than a phone's screen");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Open or close the menu" }).ClickAsync();
        // The menu is closed at this width until opened: a link of it shows only now.
        await page.GetByRole(AriaRole.Link, new() { Name = "Logs", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Logs", Level = 1 })).ToBeVisibleAsync();
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(Url("/keys"));
    }

    private async Task RevokeAsync(IPage page, string name)
    {
        await LoadedAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.GetByText($"Revoked {name}.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToHaveCountAsync(0);
    }

    private async Task GatewayRefusesAsync(string key)
    {
        var refused = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            // Within a second on every Gateway; a few tries allow for the pub/sub message on a busy machine.
            for (var attempt = 0; attempt < 10; attempt++)
            {
                await ChatAsync(key, $"after revocation {attempt}");
                await Task.Delay(200);
            }
        });
        Assert.Equal(401, refused.Status);
    }

    private async Task ChatAsync(string key, string prompt)
    {
        var client = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(fixture.GatewayUrl, "v1") });
        ChatCompletion completion = await client.GetChatClient(Model).CompleteChatAsync([new UserChatMessage(prompt)]).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEmpty(completion.Content);
    }

    private async Task ScreenshotAsync(IPage page, string name, string? path)
    {
        if (_screenshots is null)
        {
            return;
        }

        if (path is not null)
        {
            await page.GotoAsync(Url(path));
            await LoadedAsync(page);
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, $"dashboard-{name}.png"), FullPage = false });
    }

    /// <summary>An admin token made with the master key (<c>POST /v1/admin/tokens</c>), valid for an hour: its id and plain value.</summary>
    private async Task<(Guid Id, string Token)> CreateAdminTokenAsync(string name, string[] scopes)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.UsageApiUrl, "/v1/admin/tokens"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", fixture.MasterKey) },
            Content = JsonContent.Create(new { name, scopes, expires_at = DateTimeOffset.UtcNow.AddHours(1) }),
        };
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"POST /v1/admin/tokens answered {(int)response.StatusCode}: {body}");
        using var created = JsonDocument.Parse(body);
        var token = created.RootElement.GetProperty("token").GetString()!;
        Assert.StartsWith("sk-aig-admin-", token, StringComparison.Ordinal);
        return (created.RootElement.GetProperty("id").GetGuid(), token);
    }

    /// <summary>
    /// <c>GET /v1/admin/me</c> with <paramref name="credential"/>: the status, and the identity when it answers 200.
    /// </summary>
    private async Task<(int Status, JsonElement? Identity)> AdminMeAsync(string credential)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.UsageApiUrl, "/v1/admin/me"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", credential) },
        };
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return ((int)response.StatusCode, null);
        }

        using var identity = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return ((int)response.StatusCode, identity.RootElement.Clone());
    }

    private string Url(string path) => new Uri(fixture.DashboardUrl, path).ToString();

    private static string Count(JsonElement summary, string name) => summary.GetProperty(name).GetInt64().ToString("#,0", CultureInfo.InvariantCulture);

    private static string Usd(decimal value) => "$" + value.ToString("#,0.00####", CultureInfo.InvariantCulture);

    // Every visible control a click could act on (buttons, switches, links), by the name a person reads.
    private const string EnabledControlsScript = """
        () => [...document.querySelectorAll('button, [role=button], [role=switch], [role=menuitem], input[type=checkbox], a[href]')]
            .filter(e => e.offsetParent !== null && !e.disabled && e.getAttribute('aria-disabled') !== 'true')
            .map(e => (e.getAttribute('aria-label') || e.textContent || e.getAttribute('title') || '').trim())
        """;

    /// <summary>The names of the controls that change keys, prices or tokens (as the pages name them for their owners).</summary>
    [GeneratedRegex(@"\b(new key|create|edit|revoke|save|delete|remove|set price|log payloads)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChangingControl();

    [GeneratedRegex("key=([0-9a-f-]{36})")]
    private static partial Regex KeyOfLogsLink();
}
