using System.Net;
using AiPlatform.Testing;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static AiPlatform.Dashboard.Tests.Components.FakeServices;
using static AiPlatform.Dashboard.Tests.Components.UsageApiJson;
using AuditPage = AiPlatform.Dashboard.Components.Pages.Audit;

namespace AiPlatform.Dashboard.Tests.Components.Pages;

/// <summary>The audit log: UsageApi's entries a page at a time, newest first, filtered as the person asks, each opened to its before and after.</summary>
public sealed class AuditTests
{
    private const string Audit = "/v1/audit";
    private const string TokenId = "5d0c3c1e-8f1a-4e55-9a77-2b1f6f0e9c10";
    private static readonly Guid s_ciKey = Guid.Parse("0b6f0c52-9a43-4c29-9d8e-5a7c1f0e2b31");
    private static readonly DateTimeOffset s_minuteAgo = DashboardCircuit.Now.AddMinutes(-1);

    [Fact]
    public async Task Audit_Entries_OneRowEachInThePersonsZone()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => AuditPage(null,
            AuditEntry("a-2", s_minuteAgo, "key.revoked", "key", s_ciKey.ToString(), actorKind: "token", actorId: TokenId, actorName: "ops-bot"),
            AuditEntry("a-1", s_minuteAgo.AddHours(-2), "price.set", "price", "openai/gpt-4o")));

        var page = circuit.Render<AuditPage>();

        var rows = page.WaitForElements("[data-testid=entries] tbody tr", 2);
        // 11:59 UTC is 12:59 in Paris in March.
        Assert.Equal(["2026-03-10 12:59:00", "ops-bot", "10.0.0.7", "key.revoked", $"key {s_ciKey}"], Cells(rows[0]));
        Assert.Equal(["2026-03-10 10:59:00", "master key", "10.0.0.7", "price.set", "price openai/gpt-4o"], Cells(rows[1]));
        var sent = Assert.Single(circuit.Services.Sent, request => request.Path == Audit);
        Assert.Equal(["limit"], sent.QueryNames);
        Assert.Equal("50", sent.Query("limit"));
        Assert.Equal($"Bearer {DashboardCircuit.Credential}", sent.Authorization);
        Assert.True(Button(page, "Older").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Audit_Filters_GoIntoTheQueryAndStartAtTheNewest()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => AuditPage("cursor-2", AuditEntry("a-1", s_minuteAgo, "key.updated", "key", s_ciKey.ToString())));
        var page = circuit.Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(["a-1"], Shown(page)));
        await Button(page, "Older").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        page.WaitForAssertion(() => Assert.Equal("Page 2", page.Find("[data-testid=page-number]").TextContent.Trim()));

        await OverviewTests.ChooseAsync(page, "Action", "key.updated");
        await OverviewTests.ChooseAsync(page, "Target type", "key");
        await TypeAsync(page, "Target id", $" {s_ciKey} ");
        await TypeAsync(page, "Actor id", TokenId);

        page.WaitForAssertion(() => Assert.Equal(TokenId, circuit.Services.Sent.Last(request => request.Path == Audit).Query("actor_id")));
        var last = circuit.Services.Sent.Last(request => request.Path == Audit);
        Assert.Equal(["action", "target_type", "target_id", "actor_id", "limit"], last.QueryNames);
        Assert.Equal("key.updated", last.Query("action"));
        Assert.Equal("key", last.Query("target_type"));
        Assert.Equal(s_ciKey.ToString(), last.Query("target_id"));
        Assert.Null(last.Query("cursor"));
        Assert.Equal("Page 1", page.Find("[data-testid=page-number]").TextContent.Trim());
    }

    [Fact]
    public async Task Audit_OlderThenNewer_SendsTheNextCursorThenGoesBackToTheNewest()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, request => request.Query("cursor") switch
        {
            null => AuditPage("cursor/2+", AuditEntry("a-new", s_minuteAgo, "key.created", "key", s_ciKey.ToString())),
            "cursor/2+" => AuditPage(null, AuditEntry("a-old", s_minuteAgo.AddDays(-3), "price.deleted", "price", "sim")),
            var other => Error(HttpStatusCode.BadRequest, $"Invalid value for 'cursor': {other}", "cursor"),
        });
        var page = circuit.Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(["a-new"], Shown(page)));

        await Button(page, "Older").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Equal(["a-old"], Shown(page)));
        Assert.Equal("cursor/2+", circuit.Services.Sent.Last(request => request.Path == Audit).Query("cursor"));
        Assert.Equal("Page 2", page.Find("[data-testid=page-number]").TextContent.Trim());
        Assert.True(Button(page, "Older").HasAttribute("disabled"));

        await Button(page, "Newer").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Equal(["a-new"], Shown(page)));
        Assert.Null(circuit.Services.Sent.Last(request => request.Path == Audit).Query("cursor"));
        Assert.True(Button(page, "Newer").HasAttribute("disabled"));
    }

    /// <summary>Another page links to a target's history (<c>/audit?target_type=key&amp;target_id=…</c>): the first load asks for exactly that.</summary>
    [Fact]
    public async Task Audit_OpenedFromALink_FirstLoadFilteredByItsQuery()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => AuditPage(null));
        circuit.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"audit?target_type=key&target_id={s_ciKey}");

        var page = circuit.Render<AuditPage>();

        page.WaitForElement("[data-testid=no-entries]");
        var first = Assert.Single(circuit.Services.Sent, request => request.Path == Audit);
        Assert.Equal("key", first.Query("target_type"));
        Assert.Equal(s_ciKey.ToString(), first.Query("target_id"));
        Assert.Contains("No change matches these filters", page.Find("[data-testid=no-entries]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_OpenAnEntry_ShowsBeforeAndAfterFieldByFieldWithoutAnotherCall()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => AuditPage(null, AuditEntry("a-1", s_minuteAgo, "key.updated", "key", s_ciKey.ToString(),
            before: new { name = "ci", rpm = 60, models = new[] { "sim" }, log_payloads = false },
            after: new { name = "ci", rpm = 120, models = new[] { "sim", "gpt-4o-mini" }, log_payloads = false, budget_usd = 5.5m },
            actorKind: "token", actorId: TokenId, actorName: "ops-bot")));
        var page = circuit.Render<AuditPage>();

        await page.WaitForElement("[aria-label='Open change a-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        var detail = page.WaitForElement("[data-testid=audit-detail]");
        Assert.Contains($"ops-bot (admin token {TokenId})", detail.TextContent, StringComparison.Ordinal);
        Assert.Equal(
            [
                ["name (unchanged)", "ci", "ci"],
                ["rpm (changed)", "60", "120"],
                ["models (changed)", """["sim"]""", """["sim","gpt-4o-mini"]"""],
                ["log_payloads (unchanged)", "false", "false"],
                ["budget_usd (changed)", "—", "5.5"],
            ],
            page.FindAll("[data-testid=diff-row]").Select(row => new[]
            {
                $"{row.QuerySelector("th")!.ChildNodes[0].TextContent.Trim()} ({(row.GetAttribute("data-changed") == "true" ? "changed" : "unchanged")})",
                row.QuerySelectorAll("td")[0].TextContent.Trim(),
                row.QuerySelectorAll("td")[1].TextContent.Trim(),
            }));
        Assert.Single(circuit.Services.Sent, request => request.Path == Audit);
    }

    [Fact]
    public async Task Audit_UsageApiRefuses_ShowsItsMessage()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => Error(HttpStatusCode.Forbidden, "This admin token lacks the scope this endpoint needs: audit:read.", code: "insufficient_scope"));

        var page = circuit.Render<AuditPage>();

        Assert.Equal("This admin token lacks the scope this endpoint needs: audit:read.", page.WaitForElement("[data-testid=load-error]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=entries]"));
    }

    [Fact]
    public async Task Audit_NoEntriesAtAll_SaysWhatMakesTheFirst()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => AuditPage(null));

        var page = circuit.Render<AuditPage>();

        Assert.Contains("No change recorded yet", page.WaitForElement("[data-testid=no-entries]").TextContent, StringComparison.Ordinal);
    }

    private static void Answer(DashboardCircuit circuit, Func<SentRequest, HttpResponseMessage> entries) =>
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, Audit, entries);

    private static string[] Shown(IRenderedComponent<IComponent> page) =>
        [.. page.FindAll("[data-testid=entries] tbody tr button[aria-label^='Open change ']").Select(link => link.GetAttribute("aria-label")!["Open change ".Length..])];

    private static string[] Cells(IElement row) => [.. row.QuerySelectorAll("td").Select(td => td.TextContent.Trim())];

    private static IElement Button(IRenderedComponent<IComponent> page, string text) =>
        page.FindAll("button").Single(button => button.TextContent.Trim() == text);

    private static IElement Input(IRenderedComponent<IComponent> page, string label) =>
        page.FindComponents<MudBlazor.MudTextField<string>>().Single(field => field.Instance.Label == label).Find("input");

    private static async Task TypeAsync(IRenderedComponent<IComponent> page, string label, string text)
    {
        await Input(page, label).ChangeAsync(new ChangeEventArgs { Value = text }).WaitAsync(TestTimeouts.Default);
        await Input(page, label).BlurAsync(new Microsoft.AspNetCore.Components.Web.FocusEventArgs()).WaitAsync(TestTimeouts.Default);
    }
}
