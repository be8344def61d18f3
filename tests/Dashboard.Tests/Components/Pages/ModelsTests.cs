using System.Net;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.Testing;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using static AiPlatform.Dashboard.Tests.Components.FakeServices;
using static AiPlatform.Dashboard.Tests.Components.UsageApiJson;
using ModelsPage = AiPlatform.Dashboard.Components.Pages.Models;

namespace AiPlatform.Dashboard.Tests.Components.Pages;

/// <summary>Models and prices: what the Gateway serves, UsageApi's prices and the last day's use, merged; a price set in place.</summary>
public sealed class ModelsTests
{
    [Fact]
    public async Task Models_ServedPricedAndUsed_OneRowEachInNameOrder()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);

        var page = circuit.Render<ModelsPage>();

        var rows = page.WaitForElements("[data-testid=models] tbody tr", 5);
        Assert.Equal(
            [
                ["gpt-4o-mini", "http://127.0.0.1:8082", "$0.15", "$0.60", "0", "$0.00"],
                ["old-model", "not served", "$1.00", "$2.00", "0", "$0.00"],
                ["openai/gpt-4o", "https://api.openai.com/v1", "$2.50", "$10.00", "3", "$0.0375"],
                ["sim", "http://127.0.0.1:8082 http://127.0.0.1:8083", "no price", "no price", "1,234", "$0.000123"],
                ["unknown-x", "not served", "no price", "no price", "5", "$0.00"],
            ],
            rows.Select(Cells));
        var usage = Assert.Single(circuit.Services.Sent, request => request.Path == "/v1/usage/summary");
        Assert.Equal("model", usage.Query("group_by"));
        Assert.Equal("2026-03-09T12:00:00.0000000Z", usage.Query("from"));
        Assert.Equal("2026-03-10T12:00:00.0000000Z", usage.Query("to"));
        Assert.All(circuit.Services.Sent, request => Assert.Equal($"Bearer {DashboardCircuit.Credential}", request.Authorization));
    }

    [Fact]
    public async Task Models_WithoutPricesWrite_PricesShownButNotEditable()
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(AdminScopes.AnalyticsRead));
        Answer(circuit);

        var page = circuit.Render<ModelsPage>();

        var rows = page.WaitForElements("[data-testid=models] tbody tr", 5);
        Assert.Equal(["gpt-4o-mini", "http://127.0.0.1:8082", "$0.15", "$0.60", "0", "$0.00"],
            rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Empty(page.FindAll("[aria-label^='Edit the price of ']"));
        Assert.Empty(page.FindAll("button"));
    }

    [Fact]
    public async Task SavePrice_NewPrice_PutsBothAmounts()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Put, DashboardCircuit.UsageApi, "/v1/prices/sim",
            _ => Json(new { model = "sim", input_per_million_usd = 0.15m, output_per_million_usd = 0.6m, updated_at = DashboardCircuit.Now }));
        var page = circuit.Render<ModelsPage>();
        page.WaitForElements("[data-testid=models] tbody tr", 5);

        await page.Find("[aria-label='Edit the price of sim']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        await TypeAsync(page, "Input $/M", "0.15");
        await TypeAsync(page, "Output $/M", "0.6");
        circuit.Services.ClearSent();
        await Button(page, "Save").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        var put = Assert.Single(circuit.Services.Sent, request => request.Method == HttpMethod.Put);
        Assert.Equal("/v1/prices/sim", put.Path);
        Assert.Equal("""{"input_per_million_usd":0.15,"output_per_million_usd":0.6}""", Canonical(put.Body));
        Assert.Equal($"Bearer {DashboardCircuit.Credential}", put.Authorization);
        page.WaitForAssertion(() => Assert.Contains("Price of sim saved.", page.Markup, StringComparison.Ordinal));
        // Saved, the page reads the prices again.
        Assert.Contains(circuit.Services.Sent, request => request.Is(HttpMethod.Get, "/v1/prices"));
    }

    [Fact]
    public async Task SavePrice_ExistingPrice_EditorStartsFromItAndTheModelsSlashIsEscaped()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Put, DashboardCircuit.UsageApi, "/v1/prices/openai%2Fgpt-4o",
            _ => Json(new { model = "openai/gpt-4o", input_per_million_usd = 2.5m, output_per_million_usd = 12m, updated_at = DashboardCircuit.Now }));
        var page = circuit.Render<ModelsPage>();
        page.WaitForElements("[data-testid=models] tbody tr", 5);

        await page.Find("[aria-label='Edit the price of openai/gpt-4o']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        Assert.Equal("2.5", Input(page, "Input $/M").GetAttribute("value"));
        await TypeAsync(page, "Output $/M", "12");
        await Button(page, "Save").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        var put = Assert.Single(circuit.Services.Sent, request => request.Method == HttpMethod.Put);
        Assert.Equal("/v1/prices/openai%2Fgpt-4o", put.Path);
        Assert.Equal("""{"input_per_million_usd":2.5,"output_per_million_usd":12}""", Canonical(put.Body));
    }

    [Fact]
    public async Task SavePrice_UsageApiRefuses_ItsMessageAndTheEditorStays()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(HttpMethod.Put, DashboardCircuit.UsageApi, "/v1/prices/sim",
            _ => Error(HttpStatusCode.BadRequest, "Invalid value for 'input_per_million_usd': must be a number of USD per million tokens from 0 to 1000000.", "input_per_million_usd"));
        var page = circuit.Render<ModelsPage>();
        page.WaitForElements("[data-testid=models] tbody tr", 5);

        await page.Find("[aria-label='Edit the price of sim']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        await Button(page, "Save").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Contains(
            "Invalid value for 'input_per_million_usd': must be a number of USD per million tokens from 0 to 1000000.", page.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
        // Still editing: the price typed is not lost.
        Assert.Single(page.FindComponents<MudBlazor.MudNumericField<decimal>>(), field => field.Instance.Label == "Input $/M");
        Assert.DoesNotContain("Price of sim saved.", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_GatewayDown_PricesAndUseStillShownWithAWarning()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(request => request.Uri.Authority == DashboardCircuit.Gateway.Authority,
            (SentRequest _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused")));

        var page = circuit.Render<ModelsPage>();

        var rows = page.WaitForElements("[data-testid=models] tbody tr", 5);
        Assert.Contains("Targets unknown: The Gateway cannot be reached. Is it running?", page.Markup, StringComparison.Ordinal);
        Assert.All(rows, row => Assert.Equal("not served", Cells(row)[1]));
        Assert.Empty(page.FindAll("[data-testid=load-error]"));
    }

    [Fact]
    public async Task Models_UsageApiDown_TheError()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit);
        circuit.Services.On(request => request.Uri.Authority == DashboardCircuit.UsageApi.Authority,
            _ => Error(HttpStatusCode.ServiceUnavailable, "The price store is unavailable."));

        var page = circuit.Render<ModelsPage>();

        Assert.Equal("The price store is unavailable.", page.WaitForElement("[data-testid=load-error]").TextContent.Trim());
    }

    /// <summary>
    /// The Gateway serves gpt-4o-mini, openai/gpt-4o and sim; UsageApi prices gpt-4o-mini, openai/gpt-4o and a model no
    /// longer served; the last day used sim, openai/gpt-4o and a model neither served nor priced.
    /// </summary>
    private static void Answer(DashboardCircuit circuit) =>
        circuit.Services
            .On(HttpMethod.Get, DashboardCircuit.Gateway, "/v1/admin/backends", _ => List(
                Served("sim", Target("http://127.0.0.1:8082", "up"), Target("http://127.0.0.1:8083", "ejected")),
                Served("gpt-4o-mini", Target("http://127.0.0.1:8082", "up")),
                Served("openai/gpt-4o", Target("https://api.openai.com/v1", "cooling_down"))))
            .On(HttpMethod.Get, DashboardCircuit.UsageApi, "/v1/prices", _ => List(
                new { model = "gpt-4o-mini", input_per_million_usd = 0.15m, output_per_million_usd = 0.6m, updated_at = DashboardCircuit.Now },
                new { model = "old-model", input_per_million_usd = 1m, output_per_million_usd = 2m, updated_at = DashboardCircuit.Now },
                new { model = "openai/gpt-4o", input_per_million_usd = 2.5m, output_per_million_usd = 10m, updated_at = DashboardCircuit.Now }))
            .On(HttpMethod.Get, DashboardCircuit.UsageApi, "/v1/usage/summary", _ => List(
                Summary("sim", requests: 1_234, costUsd: 0.000123m),
                Summary("openai/gpt-4o", requests: 3, costUsd: 0.0375m),
                Summary("unknown-x", requests: 5)));

    internal static object Served(string model, params object[] targets) =>
        new { model, strategy = "RoundRobin", fallbacks = Array.Empty<string>(), context_window_fallbacks = Array.Empty<string>(), targets };

    internal static object Target(string address, string state, int inFlight = 0, int? waiting = null, string? servedModel = null, object? recent = null) => new
    {
        name = new Uri(address).Authority,
        address,
        provider = "openai-compatible",
        served_model = servedModel ?? "model",
        state,
        in_flight = inFlight,
        waiting,
        announced = waiting is not null,
        recent = recent ?? new { requests = 0, errors = 0, error_rate = 0.0, latency_ms_p50 = (int?)null, latency_ms_p95 = (int?)null, window_seconds = 60 },
    };

    private static string[] Cells(IElement row) =>
        [.. row.QuerySelectorAll("td").SkipLast(1).Select(td => string.Join(' ', td.QuerySelectorAll(".mud-chip").Select(chip => chip.TextContent.Trim())) is { Length: > 0 } chips ? chips : td.TextContent.Trim())];

    private static IElement Button(IRenderedComponent<IComponent> page, string text) =>
        page.FindAll("button").Single(button => button.TextContent.Trim() == text);

    private static IElement Input(IRenderedComponent<IComponent> page, string label) =>
        page.FindComponents<MudBlazor.MudNumericField<decimal>>().Single(field => field.Instance.Label == label).Find("input");

    private static async Task TypeAsync(IRenderedComponent<IComponent> page, string label, string text)
    {
        await Input(page, label).ChangeAsync(new ChangeEventArgs { Value = text }).WaitAsync(TestTimeouts.Default);
        await Input(page, label).BlurAsync(new Microsoft.AspNetCore.Components.Web.FocusEventArgs()).WaitAsync(TestTimeouts.Default);
    }
}
