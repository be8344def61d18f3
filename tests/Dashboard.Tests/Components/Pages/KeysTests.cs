using System.Net;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.Testing;
using Bunit;
using MudBlazor;
using static AiPlatform.Dashboard.Tests.Components.FakeServices;
using static AiPlatform.Dashboard.Tests.Components.PageQueries;
using static AiPlatform.Dashboard.Tests.Components.UsageApiJson;
using KeysPage = AiPlatform.Dashboard.Components.Pages.Keys;

namespace AiPlatform.Dashboard.Tests.Components.Pages;

/// <summary>The keys: listed with their state and spend, created (the key shown once), changed by merge patch, revoked on confirmation.</summary>
public sealed class KeysTests
{
    private static readonly Guid s_ci = Guid.Parse("0b6f0c52-9a43-4c29-9d8e-5a7c1f0e2b31");
    private static readonly Guid s_old = Guid.Parse("7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5");
    private static readonly Guid s_created = Guid.Parse("c0ffee00-1111-4222-8333-444455556666");
    private const string PlainKey = "aig-sk-c0ffee0011114222833344445555666677778888";

    [Fact]
    public async Task Keys_List_EachWithStatusLimitsSpendAndLastUse()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);

        var page = circuit.Render<KeysPage>();

        var rows = page.WaitForElements("[data-testid=keys] tbody tr", 2);
        // Last used 11:30 UTC: 12:30 in Paris.
        Assert.Equal(["ci payloads", "aig-0b6f0c", "active", "60 / —", "$1.234567 / $10.00 monthly", "sim, gpt-4o-mini", "2026-03-10 12:30:00"], Cells(rows[0]));
        Assert.Equal(["old", "aig-7d1e2f", "expired", "— / 5,000", "$0.50", "all", "not in 90 days"], Cells(rows[1]));
        // Each key links to its requests in the log.
        Assert.Equal($"logs?key={s_ci}", page.Find("[aria-label='Requests of ci']").GetAttribute("href"));
        var usage = Assert.Single(circuit.Services.Sent, request => request.Path == "/v1/usage/summary");
        Assert.Equal("key", usage.Query("group_by"));
        Assert.Equal("2025-12-10T12:00:00.0000000Z", usage.Query("from"));
        Assert.Equal("2026-03-10T12:00:00.0000000Z", usage.Query("to"));
        Assert.Equal("false", Assert.Single(circuit.Services.Sent, request => request.Path == "/v1/keys").Query("include_revoked"));
        Assert.All(circuit.Services.Sent, request => Assert.Equal($"Bearer {DashboardCircuit.Credential}", request.Authorization));
    }

    [Fact]
    public async Task Keys_ShowRevoked_ListsThemWithoutActions()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(request => request.Is(HttpMethod.Get, "/v1/keys") && request.Query("include_revoked") == "true",
            _ => List(Key(s_ci, "ci"), Key(s_old, "old", revokedAt: DashboardCircuit.Now.AddDays(-3))));
        var page = circuit.Render<KeysPage>();
        page.WaitForElements("[data-testid=keys] tbody tr", 2);

        await page.FindComponent<MudSwitch<bool>>().InvokeAsync(() => page.FindComponent<MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(true));

        page.WaitForAssertion(() => Assert.Equal("revoked", Cells(page.FindAll("[data-testid=keys] tbody tr")[1])[2]));
        Assert.Empty(page.FindAll("[aria-label='Revoke old']"));
        Assert.Empty(page.FindAll("[aria-label='Edit old']"));
        Assert.Single(page.FindAll("[aria-label='Revoke ci']"));
    }

    [Fact]
    public async Task Keys_NoKeys_SaysHowToCreateOne()
    {
        await using var circuit = new DashboardCircuit();
        circuit.Services
            .On(HttpMethod.Get, DashboardCircuit.UsageApi, "/v1/keys", _ => List())
            .On(HttpMethod.Get, DashboardCircuit.UsageApi, "/v1/usage/summary", _ => List());

        var page = circuit.Render<KeysPage>();

        page.WaitForElement("[data-testid=no-keys]");
        Assert.Empty(page.FindAll("[data-testid=keys]"));
    }

    [Fact]
    public async Task Keys_UsageApiDown_SaysSoInsteadOfNoKeys()
    {
        await using var circuit = new DashboardCircuit();
        circuit.Services.On(_ => true, _ => Error(HttpStatusCode.ServiceUnavailable, "The key store is unavailable."));

        var page = circuit.Render<KeysPage>();

        Assert.Equal("The key store is unavailable.", page.WaitForElement("[data-testid=load-error]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=no-keys]"));
    }

    /// <summary>A token that may read keys but not write them sees no control UsageApi would refuse.</summary>
    [Fact]
    public async Task Keys_WithoutKeysWrite_NoCreateEditOrRevokeControls()
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(AdminScopes.KeysRead, AdminScopes.AnalyticsRead, AdminScopes.LogsRead));
        Answer(circuit);

        var page = circuit.Render<KeysPage>();

        var rows = page.WaitForElements("[data-testid=keys] tbody tr", 2);
        Assert.Equal("ci payloads", Cells(rows[0])[0]);
        Assert.DoesNotContain(page.FindAll("button"), button => button.TextContent.Trim() == "New key");
        Assert.Empty(page.FindAll("[aria-label^='Edit ']"));
        Assert.Empty(page.FindAll("[aria-label^='Revoke ']"));
        // What stays is reading: the link to each key's requests.
        Assert.Single(page.FindAll("[aria-label='Requests of ci']"));
        Assert.All(circuit.Services.Sent, request => Assert.Equal(HttpMethod.Get, request.Method));
    }

    [Fact]
    public async Task Keys_WithKeysWrite_CreateEditAndRevokeControlsShown()
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(AdminScopes.KeysWrite, AdminScopes.AnalyticsRead));
        Answer(circuit);

        var page = circuit.Render<KeysPage>();

        page.WaitForElements("[data-testid=keys] tbody tr", 2);
        Assert.Single(page.FindAll("button"), button => button.TextContent.Trim() == "New key");
        Assert.Single(page.FindAll("[aria-label='Edit ci']"));
        Assert.Single(page.FindAll("[aria-label='Revoke ci']"));
    }

    /// <summary>When a key was last used is an analytics figure: a token without analytics:read lists keys without asking for it.</summary>
    [Fact]
    public async Task Keys_WithoutAnalyticsRead_ListedWithoutTheirLastUse()
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(AdminScopes.KeysRead));
        Answer(circuit);

        var page = circuit.Render<KeysPage>();

        var rows = page.WaitForElements("[data-testid=keys] tbody tr", 2);
        Assert.Equal("—", Cells(rows[0])[6]);
        Assert.DoesNotContain(circuit.Services.Sent, request => request.Path == "/v1/usage/summary");
    }

    [Fact]
    public async Task NewKey_Create_PostsTheSettingsAndShowsTheKeyOnce()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Post, DashboardCircuit.UsageApi, "/v1/keys",
            _ => Json(Key(s_created, "deploy", rpm: 120, models: ["sim", "gpt-4o-mini"], key: PlainKey), HttpStatusCode.Created));
        var page = circuit.Render<KeysPage>();
        page.WaitForElements("[data-testid=keys] tbody tr", 2);

        var creating = Button(page, "New key").ClickAsync(new());
        await TypeAsync(page, "Name", " deploy ");
        await TypeAsync(page, "Requests per minute", "120");
        await TypeAsync(page, "Models", "sim, gpt-4o-mini");
        circuit.Services.ClearSent();
        await Button(page, "Create").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        var shown = page.WaitForElement("[data-testid=shown-once]");
        var created = Assert.Single(circuit.Services.Sent, request => request.Method == HttpMethod.Post);
        Assert.Equal("/v1/keys", created.Path);
        Assert.Equal("""{"name":"deploy","rpm":120,"models":["sim","gpt-4o-mini"]}""", Canonical(created.Body));
        Assert.Equal($"Bearer {DashboardCircuit.Credential}", created.Authorization);
        Assert.Equal(PlainKey, (shown.GetAttribute("value") ?? shown.QuerySelector("input")?.GetAttribute("value")));
        Assert.Contains("Key \"deploy\" created", page.Markup, StringComparison.Ordinal);

        await Button(page, "I have copied it").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        await creating.WaitAsync(TestTimeouts.Default);
        page.WaitForAssertion(() => Assert.DoesNotContain(PlainKey, page.Markup, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Contains(circuit.Services.Sent, request => request.Is(HttpMethod.Get, "/v1/keys")));
    }

    [Fact]
    public async Task NewKey_UsageApiRefuses_ItsMessageInTheEditorWhichStaysOpen()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Post, DashboardCircuit.UsageApi, "/v1/keys",
            _ => Error(HttpStatusCode.BadRequest, "Invalid value for 'rpm': must be an integer from 1 to 1000000.", "rpm", "invalid_value"));
        var page = circuit.Render<KeysPage>();
        page.WaitForElements("[data-testid=keys] tbody tr", 2);

        _ = Button(page, "New key").ClickAsync(new());
        await TypeAsync(page, "Name", "deploy");
        await Button(page, "Create").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Contains("Invalid value for 'rpm': must be an integer from 1 to 1000000.", Dialog(page).TextContent, StringComparison.Ordinal));
        Assert.Equal("deploy", Field(page, "Name").GetAttribute("value"));
        Assert.Empty(page.FindAll("[data-testid=shown-once]"));
    }

    [Fact]
    public async Task NewKey_Cancel_SendsNothing()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        var page = circuit.Render<KeysPage>();
        page.WaitForElements("[data-testid=keys] tbody tr", 2);

        var creating = Button(page, "New key").ClickAsync(new());
        await TypeAsync(page, "Name", "deploy");
        await Button(page, "Cancel").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        await creating.WaitAsync(TestTimeouts.Default);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-dialog")));
        Assert.DoesNotContain(circuit.Services.Sent, request => request.Method != HttpMethod.Get);
    }

    [Fact]
    public async Task Edit_OneLimitChanged_PatchesOnlyThatLimit()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Patch, DashboardCircuit.UsageApi, $"/v1/keys/{s_ci}", _ => Json(Key(s_ci, "ci", rpm: 120)));
        var page = circuit.Render<KeysPage>();
        page.WaitForElements("[data-testid=keys] tbody tr", 2);

        var editing = page.Find("[aria-label='Edit ci']").ClickAsync(new());
        Assert.Equal("ci", Field(page, "Name").GetAttribute("value"));
        Assert.Equal("60", Field(page, "Requests per minute").GetAttribute("value"));
        Assert.Equal("sim, gpt-4o-mini", Field(page, "Models").GetAttribute("value"));
        await TypeAsync(page, "Requests per minute", "120");
        circuit.Services.ClearSent();
        await Button(page, "Save").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        await editing.WaitAsync(TestTimeouts.Default);

        var patch = Assert.Single(circuit.Services.Sent, request => request.Method == HttpMethod.Patch);
        Assert.Equal($"/v1/keys/{s_ci}", patch.Path);
        Assert.Equal("""{"rpm":120}""", Canonical(patch.Body));
        page.WaitForAssertion(() => Assert.Contains("Saved ci.", page.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Edit_LimitCleared_PatchesItAsNull()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Patch, DashboardCircuit.UsageApi, $"/v1/keys/{s_ci}", _ => Json(Key(s_ci, "ci")));
        var page = circuit.Render<KeysPage>();
        page.WaitForElements("[data-testid=keys] tbody tr", 2);

        var editing = page.Find("[aria-label='Edit ci']").ClickAsync(new());
        await TypeAsync(page, "Requests per minute", "");
        await Button(page, "Save").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        await editing.WaitAsync(TestTimeouts.Default);

        var patch = Assert.Single(circuit.Services.Sent, request => request.Method == HttpMethod.Patch);
        Assert.Equal("""{"rpm":null}""", Canonical(patch.Body));
    }

    /// <summary>
    /// A key whose expiry was set elsewhere (by the API, or from a browser in New York: 04:00 UTC is midnight there) is
    /// renamed in Paris; only the name is sent, the expiry is not moved to a midnight of Paris.
    /// </summary>
    [Fact]
    public async Task Edit_NameOnlyOfAKeyExpiringAtAnotherZonesMidnight_PatchesOnlyTheName()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(request => request.Is(HttpMethod.Get, "/v1/keys"),
            _ => List(Key(s_ci, "ci", expiresAt: new DateTimeOffset(2026, 5, 2, 4, 0, 0, TimeSpan.Zero))));
        circuit.Services.On(HttpMethod.Patch, DashboardCircuit.UsageApi, $"/v1/keys/{s_ci}", _ => Json(Key(s_ci, "ci-2")));
        var page = circuit.Render<KeysPage>();
        page.WaitForElements("[data-testid=keys] tbody tr", 1);

        var editing = page.Find("[aria-label='Edit ci']").ClickAsync(new());
        await TypeAsync(page, "Name", "ci-2");
        await Button(page, "Save").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        await editing.WaitAsync(TestTimeouts.Default);

        var patch = Assert.Single(circuit.Services.Sent, request => request.Method == HttpMethod.Patch);
        Assert.Equal("""{"name":"ci-2"}""", Canonical(patch.Body));
    }

    [Fact]
    public async Task Revoke_CancelledThenConfirmed_DeleteSentOnlyOnceConfirmed()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Delete, DashboardCircuit.UsageApi, $"/v1/keys/{s_ci}", _ => Json(Key(s_ci, "ci", revokedAt: DashboardCircuit.Now)));
        var page = circuit.Render<KeysPage>();
        page.WaitForElements("[data-testid=keys] tbody tr", 2);

        var revoking = page.Find("[aria-label='Revoke ci']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Revoke ci?", Dialog(page).TextContent, StringComparison.Ordinal));
        Assert.Contains("aig-0b6f0c…", Dialog(page).TextContent, StringComparison.Ordinal);
        await DialogButton(page, "Cancel").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        await revoking.WaitAsync(TestTimeouts.Default);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-dialog")));
        Assert.DoesNotContain(circuit.Services.Sent, request => request.Method == HttpMethod.Delete);

        revoking = page.Find("[aria-label='Revoke ci']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Revoke ci?", Dialog(page).TextContent, StringComparison.Ordinal));
        await DialogButton(page, "Revoke").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        await revoking.WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Contains("Revoked ci.", page.Markup, StringComparison.Ordinal));
        var revoked = Assert.Single(circuit.Services.Sent, request => request.Method == HttpMethod.Delete);
        Assert.Equal($"/v1/keys/{s_ci}", revoked.Path);
        Assert.Equal($"Bearer {DashboardCircuit.Credential}", revoked.Authorization);
    }

    [Fact]
    public async Task Revoke_UsageApiRefuses_ItsMessageShown()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Delete, DashboardCircuit.UsageApi, $"/v1/keys/{s_ci}", _ => Error(HttpStatusCode.NotFound, $"No API key with id '{s_ci}'.", "id"));
        var page = circuit.Render<KeysPage>();
        page.WaitForElements("[data-testid=keys] tbody tr", 2);

        var revoking = page.Find("[aria-label='Revoke ci']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Revoke ci?", Dialog(page).TextContent, StringComparison.Ordinal));
        await DialogButton(page, "Revoke").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        await revoking.WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Contains($"No API key with id '{s_ci}'.", page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("Revoked ci.", page.Markup, StringComparison.Ordinal);
    }

    /// <summary>Two keys: "ci" (limits, a monthly budget, payload logging, used an hour ago) and "old" (expired, unused).</summary>
    private static void Answer(DashboardCircuit circuit)
    {
        var usageApi = DashboardCircuit.UsageApi;
        circuit.Services
            .On(HttpMethod.Get, usageApi, "/v1/keys", _ => List(
                Key(s_ci, "ci", rpm: 60, budgetUsd: 10m, budgetPeriod: "monthly", models: ["sim", "gpt-4o-mini"], logPayloads: true),
                Key(s_old, "old", tpm: 5_000, expiresAt: new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))))
            .On(HttpMethod.Get, usageApi, "/v1/usage/summary", _ => List(
                Summary(s_ci.ToString(), requests: 42, lastRequestAt: new DateTimeOffset(2026, 3, 10, 11, 30, 0, TimeSpan.Zero))))
            .On(HttpMethod.Get, usageApi, $"/v1/keys/{s_ci}/spend", _ => Json(Spend(s_ci, 1.234567m, 10m, "monthly")))
            .On(HttpMethod.Get, usageApi, $"/v1/keys/{s_old}/spend", _ => Json(Spend(s_old, 0.5m)))
            .On(HttpMethod.Get, usageApi, $"/v1/keys/{s_created}/spend", _ => Json(Spend(s_created, 0m)));
    }
}
