using System.Net;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.Testing;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using static AiPlatform.Dashboard.Tests.Components.FakeServices;
using static AiPlatform.Dashboard.Tests.Components.UsageApiJson;
using OverviewPage = AiPlatform.Dashboard.Components.Pages.Overview;

namespace AiPlatform.Dashboard.Tests.Components.Pages;

/// <summary>The Overview: UsageApi's own figures for one range and filter set, and what to do when there are none.</summary>
public sealed class OverviewTests
{
    private static readonly Guid s_ciKey = Guid.Parse("0b6f0c52-9a43-4c29-9d8e-5a7c1f0e2b31");
    private static readonly Guid s_deployKey = Guid.Parse("7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5");

    // The default range, the last 24 hours, at DashboardCircuit.Now; sent in UTC.
    private const string From = "2026-03-09T12:00:00.0000000Z";
    private const string To = "2026-03-10T12:00:00.0000000Z";

    private static readonly string[] s_usagePaths = ["/v1/usage/summary", "/v1/usage/timeseries"];

    [Fact]
    public async Task Overview_Traffic_ShowsTheSummarysFiguresExactly()
    {
        await using var circuit = new DashboardCircuit();
        AnswerUsage(circuit, Summary(null, requests: 1_234_567, errors: 1_234, cacheHits: 98_765, promptTokens: 9_876_543_210, completionTokens: 123_456_789,
            costUsd: 1_234.567891m, p50: 850, p95: 1_250, p99: 61_000, ttfbP50: 120, ttfbP95: 999));

        var page = circuit.Render<OverviewPage>();

        page.WaitForAssertion(() => Assert.Equal("1,234,567", Stat(page, "stat-requests")));
        Assert.Equal("1,234 errors (0.1%)", Detail(page, "stat-requests"));
        Assert.Equal("9,876,543,210 / 123,456,789", Stat(page, "stat-tokens"));
        Assert.Equal("9,999,999,999 in all", Detail(page, "stat-tokens"));
        Assert.Equal("$1,234.567891", Stat(page, "stat-cost"));
        Assert.Equal("8.0%", Stat(page, "stat-cache"));
        Assert.Equal("0.1%", Stat(page, "stat-errors"));
        Assert.Equal("1,234 of 1,234,567", Detail(page, "stat-errors"));
        Assert.Equal("850 ms / 1.25 s / 1 min 1 s", Stat(page, "stat-latency"));
        Assert.Equal("120 ms / 999 ms", Stat(page, "stat-ttft"));
        Assert.Empty(page.FindAll("[data-testid=no-traffic]"));
        Assert.Empty(page.FindAll("[data-testid=load-error]"));
    }

    [Fact]
    public async Task Overview_CacheHits_SavingsAtTodaysPricesAndUnpricedHitsCounted()
    {
        await using var circuit = new DashboardCircuit();
        AnswerUsage(circuit, Summary(null, requests: 100, cacheHits: 12),
            cachedByModel: [Summary("gpt-4o-mini", requests: 10, promptTokens: 1_000_000, completionTokens: 500_000), Summary("llama3:8b", requests: 2, promptTokens: 50)],
            prices: [new { model = "gpt-4o-mini", input_per_million_usd = 0.15m, output_per_million_usd = 0.6m, updated_at = DashboardCircuit.Now }]);

        var page = circuit.Render<OverviewPage>();

        page.WaitForAssertion(() => Assert.Equal("Cache saved $0.45 (+2 unpriced hits)", Detail(page, "stat-cost")));
    }

    [Fact]
    public async Task Overview_TopTables_KeysByNameModelsByGroup()
    {
        await using var circuit = new DashboardCircuit();
        AnswerUsage(circuit, Summary(null, requests: 60),
            byModel: [Summary("sim", requests: 50, costUsd: 0.5m, p95: 1_250), Summary("gpt-4o-mini", requests: 10)],
            byKey: [Summary(s_ciKey.ToString(), requests: 55), Summary("f00dfeed-0000-4000-8000-000000000000", requests: 4), Summary(null, requests: 1)]);

        var page = circuit.Render<OverviewPage>();

        page.WaitForAssertion(() => Assert.Equal(["sim", "gpt-4o-mini"], Names(page, "top-models")));
        Assert.Equal(["50", "0", "0", "$0.50", "1.25 s"], page.FindAll("[data-testid=top-models] tbody tr")[0].QuerySelectorAll("td").Skip(1).Select(td => td.TextContent.Trim()));
        // A key UsageApi no longer lists shows as its id; records without a key as such.
        Assert.Equal(["ci", "f00dfeed-0000-4000-8000-000000000000", "(no key)"], Names(page, "top-keys"));
    }

    /// <summary>Listing keys needs keys:read: a token with analytics:read alone sees the figures, keys by id.</summary>
    [Fact]
    public async Task Overview_WithoutKeysRead_KeysByIdWithoutListingThem()
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(AdminScopes.AnalyticsRead));
        AnswerUsage(circuit, Summary(null, requests: 60), byKey: [Summary(s_ciKey.ToString(), requests: 55)]);

        var page = circuit.Render<OverviewPage>();

        page.WaitForAssertion(() => Assert.Equal([s_ciKey.ToString()], Names(page, "top-keys")));
        Assert.DoesNotContain(circuit.Services.Sent, request => request.Path == "/v1/keys");
    }

    [Fact]
    public async Task Overview_FirstLoad_EveryUsageCallForTheSameRange()
    {
        await using var circuit = new DashboardCircuit();
        AnswerUsage(circuit, Summary(null, requests: 10));

        var page = circuit.Render<OverviewPage>();

        page.WaitForAssertion(() => Assert.Equal("10", Stat(page, "stat-requests")));
        var usage = circuit.Services.Sent.Where(request => s_usagePaths.Contains(request.Path)).ToList();
        Assert.Equal(
            ["summary group_by=key", "summary group_by=model", "summary group_by=model cached=true", "summary group_by=none", "timeseries bucket=hour"],
            usage.Select(Describe).Order(StringComparer.Ordinal));
        Assert.All(usage, request =>
        {
            Assert.Equal(From, request.Query("from"));
            Assert.Equal(To, request.Query("to"));
            Assert.Null(request.Query("model"));
            Assert.Null(request.Query("key"));
        });
    }

    [Fact]
    public async Task Overview_ModelAndKeyChosen_EveryUsageCallWithTheSameRangeAndBothFilters()
    {
        await using var circuit = new DashboardCircuit();
        AnswerUsage(circuit, Summary(null, requests: 60), byModel: [Summary("sim", requests: 50), Summary("gpt-4o-mini", requests: 10)]);
        var page = circuit.Render<OverviewPage>();
        page.WaitForAssertion(() => Assert.Equal("60", Stat(page, "stat-requests")));

        await ChooseAsync(page, "Model", "sim");
        circuit.Services.ClearSent();
        await ChooseAsync(page, "Key", s_ciKey.ToString());

        page.WaitForAssertion(() => Assert.Equal(5, circuit.Services.Sent.Count(request => s_usagePaths.Contains(request.Path))));
        var usage = circuit.Services.Sent.Where(request => s_usagePaths.Contains(request.Path)).ToList();
        Assert.All(usage, request =>
        {
            Assert.Equal(From, request.Query("from"));
            Assert.Equal(To, request.Query("to"));
            Assert.Equal("sim", request.Query("model"));
            Assert.Equal(s_ciKey.ToString(), request.Query("key"));
        });
        Assert.Single(usage, request => request.Query("cached") == "true");
    }

    [Fact]
    public async Task Overview_NoRequestsAndNoFilter_SaysHowToSendOne()
    {
        await using var circuit = new DashboardCircuit(new Dictionary<string, string?> { ["services:gateway:http:0"] = "http://127.0.0.1:9080/" });
        AnswerUsage(circuit, totals: null);

        var page = circuit.Render<OverviewPage>();

        var noTraffic = page.WaitForElement("[data-testid=no-traffic]");
        Assert.Contains("curl http://127.0.0.1:9080/v1/chat/completions", noTraffic.TextContent, StringComparison.Ordinal);
        Assert.Equal("0", Stat(page, "stat-requests"));
        Assert.Equal("—", Stat(page, "stat-errors"));
    }

    [Fact]
    public async Task Overview_NoRequestsForTheChosenModel_NoInvitationToSendOne()
    {
        await using var circuit = new DashboardCircuit();
        AnswerUsage(circuit, Summary(null, requests: 60), byModel: [Summary("sim", requests: 50), Summary("gpt-4o-mini", requests: 10)]);
        // By the time the model is chosen, its requests have left the range: UsageApi has none with the filter.
        circuit.Services.On(request => request.Path == "/v1/usage/summary" && request.Query("model") == "gpt-4o-mini", _ => List());
        var page = circuit.Render<OverviewPage>();
        page.WaitForAssertion(() => Assert.Equal("60", Stat(page, "stat-requests")));

        await ChooseAsync(page, "Model", "gpt-4o-mini");

        page.WaitForAssertion(() => Assert.Equal("0", Stat(page, "stat-requests")));
        Assert.Empty(page.FindAll("[data-testid=no-traffic]"));
    }

    [Fact]
    public async Task Overview_UsageApiAnswers503_ShowsItsErrorMessage()
    {
        await using var circuit = new DashboardCircuit();
        AnswerUsage(circuit, Summary(null, requests: 10));
        circuit.Services.On(request => request.Path.StartsWith("/v1/usage/", StringComparison.Ordinal),
            _ => Error(HttpStatusCode.ServiceUnavailable, "The usage ledger cannot be read: the database does not answer.", code: "ledger_unavailable"));

        var page = circuit.Render<OverviewPage>();

        var alert = page.WaitForElement("[data-testid=load-error]");
        Assert.Equal("The usage ledger cannot be read: the database does not answer.", alert.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=stat-requests]"));
        Assert.Empty(page.FindAll("[data-testid=no-traffic]"));
    }

    /// <summary>
    /// A load that fails shows its error instead of stale figures (LivePage's contract): after choosing a model whose
    /// load fails, the figures of every model must not stay on the page under the model's name.
    /// </summary>
    [Fact]
    public async Task Overview_LoadFailsAfterAModelIsChosen_NoFiguresOfTheFormerChoice()
    {
        await using var circuit = new DashboardCircuit();
        AnswerUsage(circuit, Summary(null, requests: 60), byModel: [Summary("sim", requests: 50), Summary("gpt-4o-mini", requests: 10)]);
        circuit.Services.On(request => request.Query("model") == "sim",
            _ => Error(HttpStatusCode.ServiceUnavailable, "The usage ledger cannot be read: the database does not answer."));
        var page = circuit.Render<OverviewPage>();
        page.WaitForAssertion(() => Assert.Equal("60", Stat(page, "stat-requests")));

        await ChooseAsync(page, "Model", "sim");

        Assert.Equal("The usage ledger cannot be read: the database does not answer.", page.WaitForElement("[data-testid=load-error]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=stat-requests]"));
    }

    [Fact]
    public async Task Overview_UsageApiDown_SaysItCannotBeReached()
    {
        await using var circuit = new DashboardCircuit();
        circuit.Services.On(_ => true, (SentRequest _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused")));

        var page = circuit.Render<OverviewPage>();

        Assert.Equal("UsageApi cannot be reached. Is it running?", page.WaitForElement("[data-testid=load-error]").TextContent.Trim());
    }

    [Fact]
    public async Task Overview_EveryCall_CarriesTheSignedInCredentialAsBearer()
    {
        await using var circuit = new DashboardCircuit();
        AnswerUsage(circuit, Summary(null, requests: 60), byModel: [Summary("sim", requests: 60)]);
        var page = circuit.Render<OverviewPage>();
        page.WaitForAssertion(() => Assert.Equal("60", Stat(page, "stat-requests")));
        await ChooseAsync(page, "Model", "sim");

        page.WaitForAssertion(() => Assert.Contains(circuit.Services.Sent, request => request.Query("model") == "sim"));
        Assert.Equal(14, circuit.Services.Sent.Count);
        Assert.All(circuit.Services.Sent, request => Assert.Equal($"Bearer {DashboardCircuit.Credential}", request.Authorization));
    }

    /// <summary>UsageApi as the Overview asks it: the summary by group (and cache hits by model), the series, prices and keys.</summary>
    private static void AnswerUsage(
        DashboardCircuit circuit, object? totals, object[]? byModel = null, object[]? byKey = null, object[]? cachedByModel = null, object[]? prices = null)
    {
        var usageApi = DashboardCircuit.UsageApi;
        circuit.Services
            .On(HttpMethod.Get, usageApi, "/v1/usage/summary", request => (request.Query("group_by"), request.Query("cached")) switch
            {
                ("none", null) => List(totals is null ? [] : [totals]),
                ("model", "true") => List(cachedByModel ?? []),
                ("model", null) => List(byModel ?? []),
                ("key", null) => List(byKey ?? []),
                _ => Error(HttpStatusCode.BadRequest, "Invalid value for 'group_by'.", "group_by"),
            })
            .On(HttpMethod.Get, usageApi, "/v1/usage/timeseries",
                _ => List(Point(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero), 5), Point(new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero), 7, errors: 1)))
            .On(HttpMethod.Get, usageApi, "/v1/prices", _ => List(prices ?? []))
            .On(HttpMethod.Get, usageApi, "/v1/keys", _ => List(Key(s_ciKey, "ci"), Key(s_deployKey, "deploy", revokedAt: DashboardCircuit.Now.AddDays(-1))));
    }

    /// <summary>Picks <paramref name="value"/> in the select labelled <paramref name="label"/>, as a person's click on the option does.</summary>
    internal static async Task ChooseAsync(IRenderedComponent<IComponent> page, string label, string value)
    {
        var select = page.FindComponents<MudSelect<string>>().Single(select => select.Instance.Label == label);
        await select.InvokeAsync(() => select.Instance.SelectOption(value)).WaitAsync(TestTimeouts.Default);
    }

    private static string Stat(IRenderedComponent<IComponent> page, string testId) => page.Find($"[data-testid={testId}] .stat-value").TextContent.Trim();

    private static string Detail(IRenderedComponent<IComponent> page, string testId) => page.FindAll($"[data-testid={testId}] p").Last().TextContent.Trim();

    private static string[] Names(IRenderedComponent<IComponent> page, string testId) =>
        [.. page.FindAll($"[data-testid={testId}] tbody tr").Select(row => row.QuerySelector("td")!.TextContent.Trim())];

    private static string Describe(SentRequest request) =>
        request.Path[(request.Path.LastIndexOf('/') + 1)..] + (request.Query("group_by") is { } groupBy ? " group_by=" + groupBy : "")
        + (request.Query("bucket") is { } bucket ? " bucket=" + bucket : "") + (request.Query("cached") is { } cached ? " cached=" + cached : "");
}
