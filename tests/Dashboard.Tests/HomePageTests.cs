using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

using AiPlatform.Dashboard.Tests.SignIn;

using AiPlatform.Testing;

namespace AiPlatform.Dashboard.Tests;

public sealed class HomePageTests
{
    [Fact]
    public async Task Home_ConfiguredServices_ShowsEachWithItsHealth()
    {
        await using var healthyBackend = await StartBackendAsync(StatusCodes.Status200OK, "Healthy");
        // UsageApi reports itself unhealthy but still answers the sign-in's credential check.
        await using var sickBackend = await FakeAdminApi.StartAsync(StatusCodes.Status503ServiceUnavailable, "Unhealthy");
        var closedPort = ClosedPort();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("services:gateway:http:0", healthyBackend.Urls.Single())
            .UseSetting("services:usageapi:http:0", sickBackend.Url)
            .UseSetting("services:inference:http:0", $"http://127.0.0.1:{closedPort}"));
        using var client = factory.CreateClient();
        using (await DashboardSignInForm.PostAsync(client, FakeAdminApi.Key))
        {
        }

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Matches(Row("gateway", "Healthy"), html);
        Assert.Matches(Row("usageapi", "Unhealthy"), html);
        Assert.Matches(Row("inference", "Unreachable"), html);
    }

    [Fact]
    public async Task Health_DashboardRunning_Returns200()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A table row of the health table; scoped CSS adds attributes to every element, hence <c>[^>]*</c>.</summary>
    private static string Row(string service, string status) =>
        $@"<td[^>]*>{service}</td>\s*<td[^>]*>[^<]+</td>\s*<td class=""status""[^>]*>{status}</td>";

    private static async Task<WebApplication> StartBackendAsync(int status, string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/health", () => Results.Text(body, statusCode: status));
        await app.StartAsync();
        return app;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
