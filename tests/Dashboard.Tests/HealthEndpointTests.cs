using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Dashboard.Tests;

/// <summary>The probes Kubernetes and the AppHost use: open without a sign-in. The services' health is on the Backends page.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_DashboardRunning_Returns200()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
