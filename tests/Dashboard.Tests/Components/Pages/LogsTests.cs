using System.Net;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.Testing;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static AiPlatform.Dashboard.Tests.Components.FakeServices;
using static AiPlatform.Dashboard.Tests.Components.UsageApiJson;
using LogsPage = AiPlatform.Dashboard.Components.Pages.Logs;

namespace AiPlatform.Dashboard.Tests.Components.Pages;

/// <summary>The request log: UsageApi's records a page at a time, filtered as the person asks, each opened in full.</summary>
public sealed class LogsTests
{
    private const string Records = "/v1/usage/records";
    private static readonly Guid s_ciKey = Guid.Parse("0b6f0c52-9a43-4c29-9d8e-5a7c1f0e2b31");
    private static readonly DateTimeOffset s_minuteAgo = DashboardCircuit.Now.AddMinutes(-1);

    [Fact]
    public async Task Logs_Records_OneRowEachInThePersonsZone()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null,
            Record("req-2", s_minuteAgo, model: "gpt-4o-mini", statusCode: 429, errorCode: "rate_limit_exceeded", stream: true, cached: true),
            Record("req-1", s_minuteAgo.AddMinutes(-5))));

        var page = circuit.Render<LogsPage>();

        var rows = page.WaitForElements("[data-testid=records] tbody tr", 2);
        // 11:59 UTC is 12:59 in Paris in March.
        Assert.Equal(["2026-03-10 12:59:00", "ci", "gpt-4o-mini", "429 rate_limit_exceeded", "1,200 / 34", "1.25 s", "$0.000123", "cachedstream", "worker-1"], Cells(rows[0]));
        Assert.Equal(["2026-03-10 12:54:00", "ci", "sim", "200", "1,200 / 34", "1.25 s", "$0.000123", "", "worker-1"], Cells(rows[1]));
        Assert.Equal("Page 1", page.Find("[data-testid=page-number]").TextContent.Trim());
        var sent = Assert.Single(circuit.Services.Sent, request => request.Path == Records);
        Assert.Equal("2026-03-09T12:00:00.0000000Z", sent.Query("from"));
        Assert.Equal("2026-03-10T12:00:00.0000000Z", sent.Query("to"));
        Assert.Equal("50", sent.Query("limit"));
        Assert.Null(sent.Query("cursor"));
    }

    [Fact]
    public async Task Logs_OlderThenNewer_SendsTheNextCursorThenGoesBackToTheFirstPage()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, request => request.Query("cursor") switch
        {
            null => RecordPage("cursor-2", Record("req-new", s_minuteAgo)),
            "cursor-2" => RecordPage(null, Record("req-old", s_minuteAgo.AddHours(-3))),
            var other => Error(HttpStatusCode.BadRequest, $"Invalid value for 'cursor': {other}", "cursor"),
        });
        var page = circuit.Render<LogsPage>();
        page.WaitForAssertion(() => Assert.Equal(["req-new"], Shown(page)));

        await Button(page, "Older").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Equal(["req-old"], Shown(page)));
        Assert.Equal("cursor-2", circuit.Services.Sent.Last(request => request.Path == Records).Query("cursor"));
        Assert.Equal("Page 2", page.Find("[data-testid=page-number]").TextContent.Trim());
        Assert.True(Button(page, "Older").HasAttribute("disabled"));

        await Button(page, "Newer").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Equal(["req-new"], Shown(page)));
        Assert.Null(circuit.Services.Sent.Last(request => request.Path == Records).Query("cursor"));
        Assert.Equal("Page 1", page.Find("[data-testid=page-number]").TextContent.Trim());
        Assert.True(Button(page, "Newer").HasAttribute("disabled"));
    }

    /// <summary>
    /// Time passes between a person's clicks, and "the last 24 hours" moves with it; the next page is still the one after
    /// the page shown, not the first page again.
    /// </summary>
    [Fact]
    public async Task Logs_OlderAfterTimePassed_StillSendsTheNextCursor()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, request => request.Query("cursor") switch
        {
            null => RecordPage("cursor-2", Record("req-new", s_minuteAgo)),
            _ => RecordPage(null, Record("req-old", s_minuteAgo.AddHours(-3))),
        });
        var page = circuit.Render<LogsPage>();
        page.WaitForAssertion(() => Assert.Equal(["req-new"], Shown(page)));
        circuit.Clock.Advance(TimeSpan.FromSeconds(20));

        await Button(page, "Older").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Equal(2, circuit.Services.Sent.Count(request => request.Path == Records)));
        Assert.Equal("cursor-2", circuit.Services.Sent.Last(request => request.Path == Records).Query("cursor"));
        page.WaitForAssertion(() => Assert.Equal(["req-old"], Shown(page)));
        Assert.Equal("Page 2", page.Find("[data-testid=page-number]").TextContent.Trim());
    }

    [Fact]
    public async Task Logs_Filters_ChangeTheRecordsQueryAndStartAtTheFirstPage()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, request => RecordPage("cursor-2", Record("req-1", s_minuteAgo)));
        var page = circuit.Render<LogsPage>();
        page.WaitForAssertion(() => Assert.Equal(["req-1"], Shown(page)));
        await Button(page, "Older").ClickAsync(new()).WaitAsync(TestTimeouts.Default);
        page.WaitForAssertion(() => Assert.Equal("Page 2", page.Find("[data-testid=page-number]").TextContent.Trim()));

        await TypeAsync(page, "Model", " gpt-4o-mini ");
        await OverviewTests.ChooseAsync(page, "Status", "5xx");
        await OverviewTests.ChooseAsync(page, "Key", s_ciKey.ToString());
        await TypeAsync(page, "Path", " /v1/images/generations ");
        await TypeAsync(page, "Trace id", TraceId.ToUpperInvariant());
        await TypeAsync(page, "Metadata name", "team");
        await TypeAsync(page, "Metadata value", "search & rescue");

        page.WaitForAssertion(() => Assert.Equal("search & rescue", circuit.Services.Sent.Last(request => request.Path == Records).Query("metadata.team")));
        var last = circuit.Services.Sent.Last(request => request.Path == Records);
        Assert.Equal("gpt-4o-mini", last.Query("model"));
        Assert.Equal("5xx", last.Query("status"));
        Assert.Equal(s_ciKey.ToString(), last.Query("key"));
        Assert.Equal("/v1/images/generations", last.Query("path"));
        Assert.Equal(TraceId, last.Query("trace_id"));
        Assert.Null(last.Query("cursor"));
        Assert.Equal(["from", "to", "model", "key", "status", "path", "trace_id", "metadata.team", "limit"], last.QueryNames);
        Assert.Equal("Page 1", page.Find("[data-testid=page-number]").TextContent.Trim());
    }

    /// <summary>Other pages link to the log filtered (<c>/logs?key=…&amp;model=…&amp;trace_id=…</c>): the first load asks for exactly that.</summary>
    [Fact]
    public async Task Logs_OpenedFromALink_FirstLoadFilteredByItsQuery()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Context.Services.GetRequiredService<NavigationManager>()
            .NavigateTo($"logs?key={s_ciKey}&model=sim&trace_id={TraceId.ToUpperInvariant()}");

        var page = circuit.Render<LogsPage>();

        page.WaitForAssertion(() => Assert.Equal(["req-1"], Shown(page)));
        var first = Assert.Single(circuit.Services.Sent, request => request.Path == Records);
        Assert.Equal(s_ciKey.ToString(), first.Query("key"));
        Assert.Equal("sim", first.Query("model"));
        Assert.Equal(TraceId, first.Query("trace_id"));
    }

    /// <summary>Listing keys needs keys:read: without it the key filter takes a key's id, and no key list is asked for.</summary>
    [Fact]
    public async Task Logs_WithoutKeysRead_FiltersByKeyIdWithoutListingKeys()
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(AdminScopes.LogsRead));
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        var page = circuit.Render<LogsPage>();
        page.WaitForAssertion(() => Assert.Equal(["req-1"], Shown(page)));

        await TypeAsync(page, "Key id", s_ciKey.ToString());

        page.WaitForAssertion(() => Assert.Equal(s_ciKey.ToString(), circuit.Services.Sent.Last(request => request.Path == Records).Query("key")));
        Assert.DoesNotContain(circuit.Services.Sent, request => request.Path == "/v1/keys");
    }

    [Fact]
    public async Task Logs_OpenARecordWithoutPayloadsRead_SaysTheScopeHidesIt()
    {
        await using var circuit = new DashboardCircuit(admin: DashboardCircuit.Token(AdminScopes.LogsRead));
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1", _ => Json(Record("req-1", s_minuteAgo, withPayload: true, payload: null)));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElement("[aria-label='Open request req-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        Assert.Equal("Not shown: your sign-in lacks the payloads:read scope.", page.WaitForElement("[data-testid=no-payload]").TextContent.Trim());
    }

    [Fact]
    public async Task Logs_EnterInAFilter_AppliesIt()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        var page = circuit.Render<LogsPage>();
        page.WaitForAssertion(() => Assert.Equal(["req-1"], Shown(page)));
        var target = Input(page, "Target");

        await target.ChangeAsync(new ChangeEventArgs { Value = "worker-2" }).WaitAsync(TestTimeouts.Default);
        await target.KeyUpAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" }).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Equal("worker-2", circuit.Services.Sent.Last(request => request.Path == Records).Query("target")));
    }

    [Fact]
    public async Task Logs_NoRecordsWithFilters_SaysSoInsteadOfTheFirstRequestHelp()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, request => request.Query("model") is null ? RecordPage(null, Record("req-1", s_minuteAgo)) : RecordPage(null));
        var page = circuit.Render<LogsPage>();
        page.WaitForAssertion(() => Assert.Equal(["req-1"], Shown(page)));

        await TypeAsync(page, "Model", "nothing-like-it");

        page.WaitForElement("[data-testid=no-records]");
        Assert.Empty(page.FindAll("[data-testid=no-traffic]"));
        Assert.Empty(page.FindAll("[data-testid=records]"));
    }

    [Fact]
    public async Task Logs_NoRecordsAtAll_SaysHowToSendTheFirstRequest()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null));

        var page = circuit.Render<LogsPage>();

        page.WaitForElement("[data-testid=no-traffic]");
        Assert.Empty(page.FindAll("[data-testid=no-records]"));
    }

    [Fact]
    public async Task Logs_UsageApiRefuses_ShowsItsMessage()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => Error(HttpStatusCode.BadRequest, "Invalid value for 'trace_id': must be a W3C trace id: 32 lowercase hex digits, not all zero.", "trace_id"));

        var page = circuit.Render<LogsPage>();

        Assert.Equal("Invalid value for 'trace_id': must be a W3C trace id: 32 lowercase hex digits, not all zero.",
            page.WaitForElement("[data-testid=load-error]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=no-traffic]"));
    }

    [Fact]
    public async Task Logs_OpenARecord_FetchesItAndShowsItsPayload()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1", _ => Json(Record("req-1", s_minuteAgo, metadata: new { team = "search" }, withPayload: true,
            payload: new { request = """{"model":"sim","messages":[{"role":"user","content":"Hello"}]}""", response = "Hi there.", truncated = true })));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElement("[aria-label='Open request req-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        var request = page.WaitForElement("[data-testid=payload-request]");
        Assert.Contains(circuit.Services.Sent, sent => sent.Is(HttpMethod.Get, $"{Records}/req-1") && sent.Authorization == $"Bearer {DashboardCircuit.Credential}");
        Assert.Equal("""
            {
              "model": "sim",
              "messages": [
                {
                  "role": "user",
                  "content": "Hello"
                }
              ]
            }
            """, request.TextContent.ReplaceLineEndings("\n"));
        Assert.Equal("Hi there.", page.Find("[data-testid=payload-response]").TextContent);
        var detail = page.Find("[data-testid=record-detail]");
        Assert.Contains("Cut at the payload size cap.", detail.TextContent, StringComparison.Ordinal);
        Assert.Contains("\"team\": \"search\"", detail.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=no-payload]"));
        // The record came: the detail shows no error.
        Assert.Empty(detail.QuerySelectorAll(".mud-alert-text-error"));
    }

    /// <summary>
    /// The time in a row is a link inside the clickable row: a click on it reaches both (it bubbles), and must still ask
    /// UsageApi for the record once, not once per handler.
    /// </summary>
    [Fact]
    public async Task Logs_OpenARecordByItsLink_FetchedOnce()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1", _ => Json(Record("req-1", s_minuteAgo, withPayload: true)));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElement("[aria-label='Open request req-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForElement("[data-testid=no-payload]");
        Assert.Single(circuit.Services.Sent, request => request.Path == $"{Records}/req-1");
    }

    [Fact]
    public async Task Logs_OpenARecordByItsRow_FetchedOnce()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1", _ => Json(Record("req-1", s_minuteAgo, withPayload: true)));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElements("[data-testid=records] tbody tr", 1)[0].QuerySelectorAll("td")[2].ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForElement("[data-testid=no-payload]");
        Assert.Single(circuit.Services.Sent, request => request.Path == $"{Records}/req-1");
    }

    [Fact]
    public async Task Logs_OpenARecordWithoutPayload_SaysItWasNotLogged()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1", _ => Json(Record("req-1", s_minuteAgo, withPayload: true, payload: null)));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElement("[aria-label='Open request req-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        Assert.StartsWith("Not logged.", page.WaitForElement("[data-testid=no-payload]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=payload-request]"));
    }

    [Fact]
    public async Task Logs_OpenARecordThatIsGone_ShowsUsageApisMessage()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1",
            _ => Error(HttpStatusCode.NotFound, "No usage record has the request id 'req-1'.", "request_id"));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElement("[aria-label='Open request req-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        var alert = page.WaitForElement("[data-testid=record-detail] .mud-alert-text-error");
        Assert.Equal("No usage record has the request id 'req-1'.", alert.TextContent.Trim());
    }

    [Fact]
    public async Task Logs_OpenAPassThroughRecord_ShowsItsPathAndBodyBytes()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1", _ => Json(Record("req-1", s_minuteAgo, withPayload: true,
            path: "/v1/images/generations", requestBytes: 512, responseBytes: 1_234_567)));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElement("[aria-label='Open request req-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        // The panel first shows the record as listed, then as UsageApi answers for it alone.
        page.WaitForAssertion(() => Assert.Equal("/v1/images/generations", DetailField(page, "Path")));
        Assert.Equal("512 bytes", DetailField(page, "Request bytes"));
        Assert.Equal("1.2 MB (1,234,567 bytes)", DetailField(page, "Response bytes"));
    }

    /// <summary>A chat request, or a record of an older Gateway: the byte counts, or all three, are not known.</summary>
    [Theory]
    [InlineData("/v1/chat/completions", "/v1/chat/completions")]
    [InlineData(null, "—")]
    public async Task Logs_OpenARecordWithoutBodyBytes_DashesForWhatIsNotKnown(string? path, string shownPath)
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1", _ => Json(Record("req-1", s_minuteAgo, withPayload: true, path: path)));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElement("[aria-label='Open request req-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        page.WaitForAssertion(() => Assert.Equal(shownPath, DetailField(page, "Path")));
        Assert.Equal("—", DetailField(page, "Request bytes"));
        Assert.Equal("—", DetailField(page, "Response bytes"));
    }

    [Fact]
    public async Task Logs_TracesUrlConfigured_TheTraceIdLinksToItsTrace()
    {
        await using var circuit = new DashboardCircuit(options: new DashboardOptions { RefreshInterval = TimeSpan.FromHours(1), TracesUrl = new Uri("http://127.0.0.1:18888") });
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1", _ => Json(Record("req-1", s_minuteAgo, withPayload: true)));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElement("[aria-label='Open request req-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        var link = page.WaitForElement("[data-testid=trace] a");
        Assert.Equal($"http://127.0.0.1:18888/traces/detail/{TraceId}", link.GetAttribute("href"));
        Assert.Equal(TraceId, link.TextContent.Trim());
    }

    [Fact]
    public async Task Logs_NoTracesUrl_TheTraceIdAsText()
    {
        await using var circuit = new DashboardCircuit();
        Answer(circuit, _ => RecordPage(null, Record("req-1", s_minuteAgo)));
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.UsageApi, $"{Records}/req-1", _ => Json(Record("req-1", s_minuteAgo, withPayload: true)));
        var page = circuit.Render<LogsPage>();

        await page.WaitForElement("[aria-label='Open request req-1']").ClickAsync(new()).WaitAsync(TestTimeouts.Default);

        var trace = page.WaitForElement("[data-testid=trace]");
        page.WaitForAssertion(() => Assert.Equal(TraceId, page.Find("[data-testid=trace]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=trace] a"));
    }

    /// <summary>UsageApi's records (and the keys the Key filter lists); every other call is the test's.</summary>
    private static void Answer(DashboardCircuit circuit, Func<SentRequest, HttpResponseMessage> records) =>
        circuit.Services
            .On(HttpMethod.Get, DashboardCircuit.UsageApi, "/v1/keys", _ => List(Key(s_ciKey, "ci")))
            .On(HttpMethod.Get, DashboardCircuit.UsageApi, Records, records);

    private static string[] Shown(IRenderedComponent<IComponent> page) =>
        [.. page.FindAll("[data-testid=records] tbody tr a[aria-label^='Open request ']").Select(link => link.GetAttribute("aria-label")!["Open request ".Length..])];

    /// <summary>The value the detail panel shows beside <paramref name="name"/>.</summary>
    private static string DetailField(IRenderedComponent<IComponent> page, string name) =>
        page.FindAll("[data-testid=record-detail] tr").Single(row => row.QuerySelector("th")?.TextContent.Trim() == name)
            .QuerySelector("td")!.TextContent.Trim();

    private static string[] Cells(IElement row) => [.. row.QuerySelectorAll("td").Select(td => td.TextContent.Trim())];

    private static IElement Button(IRenderedComponent<IComponent> page, string text) =>
        page.FindAll("button").Single(button => button.TextContent.Trim() == text);

    private static IElement Input(IRenderedComponent<IComponent> page, string label) =>
        page.FindComponents<MudBlazor.MudTextField<string>>().Single(field => field.Instance.Label == label).Find("input");

    /// <summary>Types into a text filter and leaves it, as a person does: the value changes, then the field loses focus.</summary>
    private static async Task TypeAsync(IRenderedComponent<IComponent> page, string label, string text)
    {
        await Input(page, label).ChangeAsync(new ChangeEventArgs { Value = text }).WaitAsync(TestTimeouts.Default);
        await Input(page, label).BlurAsync(new Microsoft.AspNetCore.Components.Web.FocusEventArgs()).WaitAsync(TestTimeouts.Default);
    }
}
