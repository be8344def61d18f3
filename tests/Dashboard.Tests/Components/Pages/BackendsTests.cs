using System.Net;
using AngleSharp.Dom;
using Bunit;
using static AiPlatform.Dashboard.Tests.Components.FakeServices;
using static AiPlatform.Dashboard.Tests.Components.Pages.ModelsTests;
using BackendsPage = AiPlatform.Dashboard.Components.Pages.Backends;

namespace AiPlatform.Dashboard.Tests.Components.Pages;

/// <summary>
/// Backends: the Gateway's targets as it sees them, and every configured replica of every service probed at its own
/// <c>/health</c> (this replaced the health table the home page used to have).
/// </summary>
public sealed class BackendsTests
{
    private static readonly Dictionary<string, string?> s_services = new()
    {
        ["services:gateway:http:0"] = "http://10.0.0.1:8080",
        ["services:usageapi:http:0"] = "http://10.0.0.2:8081",
        ["services:inference:http:0"] = "http://10.0.0.3:8082",
        ["services:inference:http:1"] = "http://10.0.0.3:8083",
    };

    [Fact]
    public async Task Services_EachReplica_ShowsItsHealthAsProbed()
    {
        await using var circuit = new DashboardCircuit(s_services);
        AnswerBackends(circuit);
        AnswerHealth(circuit);

        var page = circuit.Render<BackendsPage>();

        var rows = page.WaitForElements("[data-testid=services] tbody tr", 4);
        Assert.Equal(
            [
                ["gateway", "http://10.0.0.1:8080/", "Healthy"],
                ["usageapi", "http://10.0.0.2:8081/", "Unhealthy"],
                ["inference", "http://10.0.0.3:8082/", "Degraded"],
                ["inference", "http://10.0.0.3:8083/", "Unreachable"],
            ],
            rows.Select(row => Cells(row)[..3]));
        Assert.Matches(@"^\d+\.\d ms$", Cells(rows[0])[3]);
        Assert.Matches(@"^\d+\.\d ms$", Cells(rows[1])[3]);
        Assert.Equal("—", Cells(rows[3])[3]);
        Assert.Contains("mud-chip-color-success", rows[0].QuerySelector(".mud-chip")!.ClassName, StringComparison.Ordinal);
        Assert.All(rows.Skip(1), row => Assert.Contains("mud-chip-color-error", row.QuerySelector(".mud-chip")!.ClassName, StringComparison.Ordinal));
    }

    /// <summary>The probes go to each replica's own address, and carry no credential: health endpoints are open.</summary>
    [Fact]
    public async Task Services_Probes_EachReplicasHealthWithoutTheCredential()
    {
        await using var circuit = new DashboardCircuit(s_services);
        AnswerBackends(circuit);
        AnswerHealth(circuit);

        var page = circuit.Render<BackendsPage>();

        page.WaitForElements("[data-testid=services] tbody tr", 4);
        var probes = circuit.Services.Sent.Where(request => request.Path == "/health").ToList();
        Assert.Equal(
            ["http://10.0.0.1:8080/health", "http://10.0.0.2:8081/health", "http://10.0.0.3:8082/health", "http://10.0.0.3:8083/health"],
            probes.Select(request => request.Uri.ToString()).Order(StringComparer.Ordinal));
        Assert.All(probes, request => Assert.Null(request.Authorization));
    }

    [Fact]
    public async Task Services_NoneConfigured_SaysWhatToSet()
    {
        await using var circuit = new DashboardCircuit();
        AnswerBackends(circuit);

        var page = circuit.Render<BackendsPage>();

        page.WaitForAssertion(() => Assert.Contains("No services are configured", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=services]"));
        Assert.DoesNotContain(circuit.Services.Sent, request => request.Path == "/health");
    }

    [Fact]
    public async Task Targets_EachOfEachModel_WithStateAndLastMinute()
    {
        await using var circuit = new DashboardCircuit(s_services);
        AnswerHealth(circuit);
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.Gateway, "/v1/admin/backends", _ => List(
            Served("sim",
                Target("http://10.0.0.3:8082", "up", inFlight: 2, waiting: 3, servedModel: "sim",
                    recent: new { requests = 8, errors = 1, error_rate = 0.125, latency_ms_p50 = 850, latency_ms_p95 = 1_250, window_seconds = 60 }),
                Target("http://10.0.0.3:8083", "ejected", servedModel: "llama3:8b",
                    recent: new { requests = 4, errors = 4, error_rate = 1.0, latency_ms_p50 = (int?)null, latency_ms_p95 = (int?)null, window_seconds = 60 })),
            Served("openai/gpt-4o", Target("https://api.openai.com/v1", "cooling_down", inFlight: 1, servedModel: "gpt-4o"))));

        var page = circuit.Render<BackendsPage>();

        var rows = page.WaitForElements("[data-testid=targets] tbody tr", 3);
        Assert.Equal(
            [
                ["sim", "http://10.0.0.3:8082", "up", "2", "3", "8", "12.5%", "850 ms / 1.25 s"],
                ["sim", "http://10.0.0.3:8083 (llama3:8b)", "ejected", "0", "—", "4", "100.0%", "— / —"],
                ["openai/gpt-4o", "https://api.openai.com/v1 (gpt-4o)", "cooling_down", "1", "—", "0", "—", "— / —"],
            ],
            rows.Select(Cells));
        var call = Assert.Single(circuit.Services.Sent, request => request.Path == "/v1/admin/backends");
        Assert.Equal($"Bearer {DashboardCircuit.Credential}", call.Authorization);
    }

    [Fact]
    public async Task Targets_None_SaysHowToAddOne()
    {
        await using var circuit = new DashboardCircuit(s_services);
        AnswerHealth(circuit);
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.Gateway, "/v1/admin/backends", _ => List());

        var page = circuit.Render<BackendsPage>();

        page.WaitForAssertion(() => Assert.Contains("The Gateway has no targets", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=targets]"));
    }

    [Fact]
    public async Task Targets_GatewayRefuses_ItsMessageAndTheServicesStillShown()
    {
        await using var circuit = new DashboardCircuit(s_services);
        AnswerHealth(circuit);
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.Gateway, "/v1/admin/backends",
            _ => Error(HttpStatusCode.Unauthorized, "Incorrect API key provided.", code: "invalid_api_key"));

        var page = circuit.Render<BackendsPage>();

        Assert.Equal("Incorrect API key provided.", page.WaitForElement("[data-testid=load-error]").TextContent.Trim());
        Assert.Equal(4, page.FindAll("[data-testid=services] tbody tr").Count);
    }

    private static void AnswerBackends(DashboardCircuit circuit) =>
        circuit.Services.On(HttpMethod.Get, DashboardCircuit.Gateway, "/v1/admin/backends", _ => List(Served("sim", Target("http://10.0.0.3:8082", "up"))));

    /// <summary>The Gateway is healthy, UsageApi answers 503 Unhealthy, one worker is degraded and the other does not answer.</summary>
    private static void AnswerHealth(DashboardCircuit circuit) =>
        circuit.Services
            .On(HttpMethod.Get, new Uri("http://10.0.0.1:8080"), "/health", _ => Text("Healthy"))
            .On(HttpMethod.Get, new Uri("http://10.0.0.2:8081"), "/health", _ => Text("Unhealthy", HttpStatusCode.ServiceUnavailable))
            .On(HttpMethod.Get, new Uri("http://10.0.0.3:8082"), "/health", _ => Text("Degraded"))
            .On(request => request.Uri.Authority == "10.0.0.3:8083",
                (SentRequest _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused (10.0.0.3:8083)")));

    private static string[] Cells(IElement row) => [.. row.QuerySelectorAll("td").Select(td => td.TextContent.Trim())];
}
