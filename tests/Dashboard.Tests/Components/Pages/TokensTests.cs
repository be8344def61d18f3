using System.Net;
using System.Text.RegularExpressions;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.Testing;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using static AiPlatform.Dashboard.Tests.Components.FakeServices;
using static AiPlatform.Dashboard.Tests.Components.PageQueries;
using static AiPlatform.Dashboard.Tests.Components.UsageApiJson;
using TokensPage = AiPlatform.Dashboard.Components.Pages.Tokens;

namespace AiPlatform.Dashboard.Tests.Components.Pages;

/// <summary>The admin tokens: listed with their scopes and state, created (the token shown once), revoked on confirmation.</summary>
public sealed class TokensTests
{
    private static readonly Guid s_reader = Guid.Parse("5d0c3c1e-8f1a-4e55-9a77-2b1f6f0e9c10");
    private static readonly Guid s_old = Guid.Parse("7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5");
    private static readonly Guid s_gone = Guid.Parse("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
    private static readonly Guid s_created = Guid.Parse("c0ffee00-1111-4222-8333-444455556666");
    private const string PlainToken = "sk-aig-admin-c0ffee0011114222833344445555666677778888";

    [Fact]
    public async Task Tokens_List_EachWithScopesCreatorTimesAndStatus()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);

        var page = circuit.Render<TokensPage>();

        var rows = page.WaitForElements("[data-testid=tokens] tbody tr", 2);
        // Times in Paris: created 09:00 UTC is 10:00; the expiry in June is in summer time (+2).
        Assert.Equal(["ci-reader", "sk-aig-admin-5d0c", "analytics:read logs:read", "master key", "2026-01-05 10:00:00", "2026-06-01 02:00:00",
            "2026-03-10 12:30:00", "active"], Cells(rows[0]));
        Assert.Equal(["old", "sk-aig-admin-7d1e", "audit:read", "master key", "2026-01-05 10:00:00", "2026-03-01 01:00:00 expired",
            "never", "expired"], Cells(rows[1]));
        Assert.Contains("master key is for break-glass use", page.Find("[data-testid=break-glass]").TextContent, StringComparison.Ordinal);
        var listed = Assert.Single(circuit.Services.Sent);
        Assert.True(listed.Is(HttpMethod.Get, "/v1/admin/tokens"), listed.ToString());
        Assert.Equal("false", listed.Query("include_revoked"));
        Assert.Equal($"Bearer {DashboardCircuit.Credential}", listed.Authorization);
    }

    [Fact]
    public async Task Tokens_ShowRevoked_ListsThemRevokedWithoutRevoke()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        var page = circuit.Render<TokensPage>();
        page.WaitForElements("[data-testid=tokens] tbody tr", 2);

        await page.FindComponent<MudSwitch<bool>>().InvokeAsync(() => page.FindComponent<MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(true));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=tokens] tbody tr").Count));
        Assert.Equal("revoked", Cells(page.FindAll("[data-testid=tokens] tbody tr")[2])[7]);
        Assert.Empty(page.FindAll("[aria-label='Revoke gone']"));
        Assert.Single(page.FindAll("[aria-label='Revoke ci-reader']"));
        Assert.Contains(circuit.Services.Sent, request => request.Path == "/v1/admin/tokens" && request.Query("include_revoked") == "true");
    }

    [Fact]
    public async Task Tokens_NoTokens_SaysHowToCreateOne()
    {
        await using var circuit = new DashboardCircuit();
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, "/v1/admin/tokens", _ => List());

        var page = circuit.Render<TokensPage>();

        page.WaitForElement("[data-testid=no-tokens]");
        Assert.Empty(page.FindAll("[data-testid=tokens]"));
    }

    [Fact]
    public async Task NewToken_Create_PostsNameScopesAndExpiryAndShowsTheTokenOnceWithCopy()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Post, DashboardCircuit.UsageApi, "/v1/admin/tokens",
            _ => Json(AdminToken(s_created, "deploy", [AdminScopes.AnalyticsRead, AdminScopes.AuditRead], DashboardCircuit.Now.AddDays(90), token: PlainToken),
                HttpStatusCode.Created));
        var page = circuit.Render<TokensPage>();
        page.WaitForElements("[data-testid=tokens] tbody tr", 2);

        var creating = Button(page, "New token").ClickAsync(new());
        await TypeAsync(page, "Name", " deploy ");
        // Ticked out of order: the body lists them in AdminScopes' order all the same.
        await TickAsync(page, AdminScopes.AuditRead);
        await TickAsync(page, AdminScopes.AnalyticsRead);
        await PickAsync(page, "In 90 days");
        circuit.Services.ClearSent();
        await DialogButton(page, "Create").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        var shown = page.WaitForElement("[data-testid=shown-once]");
        var created = Assert.Single(circuit.Services.Sent, request => request.Method == HttpMethod.Post);
        Assert.Equal("/v1/admin/tokens", created.Path);
        // Now (2026-03-10 12:00 UTC) plus 90 days.
        Assert.Equal("""{"name":"deploy","scopes":["analytics:read","audit:read"],"expires_at":"2026-06-08T12:00:00Z"}""", Canonical(created.Body));
        Assert.Equal($"Bearer {DashboardCircuit.Credential}", created.Authorization);
        Assert.Equal(PlainToken, shown.GetAttribute("value") ?? shown.QuerySelector("input")?.GetAttribute("value"));
        Assert.Contains("Admin token \"deploy\" created", page.Markup, StringComparison.Ordinal);
        Assert.Contains("shown only this once", Dialog(page).TextContent, StringComparison.Ordinal);

        await DialogButton(page, "Copy").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        Assert.Equal(PlainToken, circuit.Context.JSInterop.VerifyInvoke("aigDashboard.copy").Arguments[0]);
        page.WaitForAssertion(() => Assert.Contains("Copied to the clipboard.", page.Markup, StringComparison.Ordinal));

        await DialogButton(page, "I have copied it").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        await creating.WaitAsync(TestTimeouts.Default);
        page.WaitForAssertion(() => Assert.DoesNotContain(PlainToken, page.Markup, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Contains(circuit.Services.Sent, request => request.Is(HttpMethod.Get, "/v1/admin/tokens")));
    }

    [Fact]
    public async Task NewToken_NothingFilledIn_SaysWhatIsMissingAndSendsNothing()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        var page = circuit.Render<TokensPage>();
        page.WaitForElements("[data-testid=tokens] tbody tr", 2);

        _ = Button(page, "New token").ClickAsync(new());
        await PickAsync(page, "After a day I pick");
        await DialogButton(page, "Create").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Contains("Every token has a name.", Dialog(page).TextContent, StringComparison.Ordinal));
        Assert.Equal("Pick at least one scope.", page.Find("[data-testid=scopes-error]").TextContent.Trim());
        Assert.Equal("Pick the token's last day.", page.Find("[data-testid=expiry-error]").TextContent.Trim());
        Assert.DoesNotContain(circuit.Services.Sent, request => request.Method != HttpMethod.Get);
    }

    [Fact]
    public async Task NewToken_UsageApiRefuses_ItsMessageInTheDialogWhichStaysOpen()
    {
        const string Refusal = "Invalid value for 'expires_at': must be in the future.";
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Post, DashboardCircuit.UsageApi, "/v1/admin/tokens",
            _ => Error(HttpStatusCode.BadRequest, Refusal, "expires_at", "invalid_value"));
        var page = circuit.Render<TokensPage>();
        page.WaitForElements("[data-testid=tokens] tbody tr", 2);

        _ = Button(page, "New token").ClickAsync(new());
        await TypeAsync(page, "Name", "deploy");
        await TickAsync(page, AdminScopes.LogsRead);
        await DialogButton(page, "Create").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Equal(Refusal, page.Find("[data-testid=create-error]").TextContent.Trim()));
        Assert.Equal("deploy", Field(page, "Name").GetAttribute("value"));
        Assert.Empty(page.FindAll("[data-testid=shown-once]"));
    }

    [Fact]
    public async Task Revoke_CancelledThenConfirmed_DeleteSentOnlyOnceConfirmed()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Delete, DashboardCircuit.UsageApi, $"/v1/admin/tokens/{s_reader}",
            _ => Json(AdminToken(s_reader, "ci-reader", [AdminScopes.AnalyticsRead], DashboardCircuit.Now.AddDays(30), revokedAt: DashboardCircuit.Now)));
        var page = circuit.Render<TokensPage>();
        page.WaitForElements("[data-testid=tokens] tbody tr", 2);

        var revoking = page.Find("[aria-label='Revoke ci-reader']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Revoke ci-reader?", Dialog(page).TextContent, StringComparison.Ordinal));
        Assert.Contains("sk-aig-admin-5d0c…", Dialog(page).TextContent, StringComparison.Ordinal);
        await DialogButton(page, "Cancel").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        await revoking.WaitAsync(TestTimeouts.Default);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-dialog")));
        Assert.DoesNotContain(circuit.Services.Sent, request => request.Method == HttpMethod.Delete);

        revoking = page.Find("[aria-label='Revoke ci-reader']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Revoke ci-reader?", Dialog(page).TextContent, StringComparison.Ordinal));
        await DialogButton(page, "Revoke").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        await revoking.WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Contains("Revoked ci-reader.", page.Markup, StringComparison.Ordinal));
        var revoked = Assert.Single(circuit.Services.Sent, request => request.Method == HttpMethod.Delete);
        Assert.Equal($"/v1/admin/tokens/{s_reader}", revoked.Path);
        Assert.Equal($"Bearer {DashboardCircuit.Credential}", revoked.Authorization);
    }

    /// <summary>Every scope but admin: the page is left out of the menu, and opened by its address it says why and asks nothing.</summary>
    [Fact]
    public async Task Tokens_WithoutAdminScope_NotInTheMenuAndMissingScopeShownWithoutAnyCall()
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token([.. AdminScopes.All.Where(scope => scope != AdminScopes.Admin)]));
        circuit.Services.On(_ => true, _ => List());

        var layout = circuit.RenderInLayout<TokensPage>();

        Assert.DoesNotContain("Admin tokens", layout.FindAll("nav .mud-nav-link").Select(link => link.TextContent.Trim()));
        var message = Regex.Replace(layout.Find("[data-testid=missing-scope]").TextContent, @"\s+", " ");
        Assert.Contains("This page needs the admin scope, which ci-reader does not have.", message, StringComparison.Ordinal);
        await Task.Delay(200);
        Assert.Empty(circuit.Services.Sent);
    }

    /// <summary>"ci-reader" (used an hour ago) and "old" (expired, unused); with revoked ones, also "gone".</summary>
    private static void Answer(DashboardCircuit circuit) =>
        circuit.Services
            .On(request => request.Is(HttpMethod.Get, "/v1/admin/tokens"), request => List([
                AdminToken(s_reader, "ci-reader", [AdminScopes.AnalyticsRead, AdminScopes.LogsRead], new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
                    lastUsedAt: new DateTimeOffset(2026, 3, 10, 11, 30, 0, TimeSpan.Zero)),
                AdminToken(s_old, "old", [AdminScopes.AuditRead], new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)),
                .. request.Query("include_revoked") == "true"
                    ? [AdminToken(s_gone, "gone", [AdminScopes.Admin], DashboardCircuit.Now.AddDays(5), revokedAt: DashboardCircuit.Now.AddDays(-1))]
                    : Array.Empty<object>(),
            ]));

    private static Task TickAsync(IRenderedComponent<IComponent> page, string scope) =>
        Field(page, scope).ChangeAsync(new ChangeEventArgs { Value = true }).WaitAsync(TestTimeouts.Default);

    private static Task PickAsync(IRenderedComponent<IComponent> page, string expiry) =>
        Field(page, expiry).ClickAsync(new()).WaitAsync(TestTimeouts.Default);
}
