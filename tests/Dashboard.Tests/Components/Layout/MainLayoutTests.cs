using System.Reflection;
using System.Text.RegularExpressions;
using AiPlatform.Dashboard.Components.Layout;
using AiPlatform.ServiceDefaults.Admin;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using static AiPlatform.Dashboard.Tests.Components.FakeServices;
using AuditPage = AiPlatform.Dashboard.Components.Pages.Audit;
using BackendsPage = AiPlatform.Dashboard.Components.Pages.Backends;
using KeysPage = AiPlatform.Dashboard.Components.Pages.Keys;
using LogsPage = AiPlatform.Dashboard.Components.Pages.Logs;
using ModelsPage = AiPlatform.Dashboard.Components.Pages.Models;
using OverviewPage = AiPlatform.Dashboard.Components.Pages.Overview;
using TokensPage = AiPlatform.Dashboard.Components.Pages.Tokens;

namespace AiPlatform.Dashboard.Tests.Components.Layout;

/// <summary>The layout shows only what the signed-in credential's scopes open: the menu, and the page itself.</summary>
public sealed class MainLayoutTests
{
    [Fact]
    public async Task Menu_MasterKey_ListsEveryPage()
    {
        await using var circuit = new DashboardCircuit();
        AnswerEverything(circuit);

        var layout = circuit.RenderInLayout<OverviewPage>();

        Assert.Equal(["Overview", "Logs", "Keys", "Models and prices", "Backends", "Audit log", "Admin tokens"], Menu(layout));
        Assert.Equal("master key", layout.Find("[data-testid=signed-in-as]").TextContent.Trim());
    }

    [Theory]
    [InlineData(new[] { AdminScopes.LogsRead }, new[] { "Logs" })]
    [InlineData(new[] { AdminScopes.AnalyticsRead }, new[] { "Overview", "Models and prices", "Backends" })]
    [InlineData(new[] { AdminScopes.KeysWrite, AdminScopes.AuditRead }, new[] { "Keys", "Audit log" })]
    [InlineData(new[] { AdminScopes.PayloadsRead, AdminScopes.PricesWrite }, new string[0])]
    [InlineData(new[] { AdminScopes.Admin }, new[] { "Overview", "Logs", "Keys", "Models and prices", "Backends", "Audit log", "Admin tokens" })]
    public async Task Menu_AdminToken_ListsOnlyThePagesItsScopesOpen(string[] scopes, string[] pages)
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(scopes));
        AnswerEverything(circuit);

        var layout = circuit.RenderInLayout<AuditPage>();

        Assert.Equal(pages, Menu(layout));
        Assert.Equal("ci-reader", layout.Find("[data-testid=signed-in-as]").TextContent.Trim());
    }

    public static TheoryData<Type, string> PagesAndScopes => new()
    {
        { typeof(OverviewPage), AdminScopes.AnalyticsRead },
        { typeof(LogsPage), AdminScopes.LogsRead },
        { typeof(KeysPage), AdminScopes.KeysRead },
        { typeof(ModelsPage), AdminScopes.AnalyticsRead },
        { typeof(BackendsPage), AdminScopes.AnalyticsRead },
        { typeof(AuditPage), AdminScopes.AuditRead },
        { typeof(TokensPage), AdminScopes.Admin },
    };

    [Theory]
    [MemberData(nameof(PagesAndScopes))]
    public async Task Page_OpenedWithoutItsScope_NamesTheScopeAndCallsNothing(Type page, string scope)
    {
        // A token that opens every other page: only the page's own scope is missing.
        string[] others = [.. AdminScopes.All.Where(other => other != scope && other != AdminScopes.Admin && !(scope == AdminScopes.KeysRead && other == AdminScopes.KeysWrite))];
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(others));
        AnswerEverything(circuit);

        var layout = circuit.RenderInLayout(page);

        var message = Regex.Replace(layout.Find("[data-testid=missing-scope]").TextContent, @"\s+", " ");
        Assert.Contains($"This page needs the {scope} scope, which ci-reader does not have.", message, StringComparison.Ordinal);
        Assert.Equal(DashboardPages.Of(page)!.Title, layout.Find("h1").TextContent.Trim());
        // The page is not even created: nothing asks the admin APIs (nor probes the services) to be refused.
        await Task.Delay(200);
        Assert.Empty(circuit.Services.Sent);
    }

    [Fact]
    public async Task Page_OpenedWithItsScope_ShownAndLoaded()
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(AdminScopes.AuditRead));
        AnswerEverything(circuit);

        var layout = circuit.RenderInLayout<AuditPage>();

        layout.WaitForAssertion(() => Assert.Contains(circuit.Services.Sent, request => request.Path == "/v1/audit"));
        Assert.Empty(layout.FindAll("[data-testid=missing-scope]"));
    }

    /// <summary>A page added to the Dashboard without a scope would be shown to every sign-in: each one must be in the map.</summary>
    [Fact]
    public void DashboardPages_EveryPageBehindTheSignIn_HasAScope()
    {
        var pages = typeof(DashboardPages).Assembly.GetTypes()
            .Where(type => type.GetCustomAttributes<RouteAttribute>().Any() && type.GetCustomAttribute<AllowAnonymousAttribute>() is null);

        Assert.All(pages, page => Assert.True(DashboardPages.Of(page) is not null, $"{page.Name} has no entry in DashboardPages."));
    }

    private static string[] Menu(IRenderedComponent<IComponent> layout) =>
        [.. layout.FindAll("nav .mud-nav-link").Select(link => link.TextContent.Trim())];

    private static void AnswerEverything(DashboardCircuit circuit) =>
        circuit.Services.On(request => request.Path == "/v1/audit", _ => UsageApiJson.AuditPage(null))
            .On(_ => true, _ => List());
}
