using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace AiPlatform.ServiceDefaults.Tests.Health;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Health_DependencyFails_Returns503WithStatusWordOnly()
    {
        var (app, client) = await TestApp.StartAsync(
            b => b.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy("password authentication failed for user admin")),
            a => a.MapDefaultEndpoints());
        await using var _ = app;

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Alive_DependencyFails_StillReturns200()
    {
        var (app, client) = await TestApp.StartAsync(
            b => b.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy()),
            a => a.MapDefaultEndpoints());
        await using var _ = app;

        using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_AllChecksPass_Returns200()
    {
        var (app, client) = await TestApp.StartAsync(
            b => b.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Healthy()),
            a => a.MapDefaultEndpoints());
        await using var _ = app;

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
