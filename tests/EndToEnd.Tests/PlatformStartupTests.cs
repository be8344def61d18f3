using System.Net;
using AiPlatform.EndToEnd.Tests.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AiPlatform.EndToEnd.Tests;

[Collection(AppHostCollection.Name)]
public class PlatformStartupTests(AppHostFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AppHost_Started_EveryServiceAnswersHealthAndAliveOnItsOwnPort()
    {
        using var http = AppHostProcess.NewHttpClient();

        foreach (var service in (Uri[])[fixture.GatewayUrl, fixture.UsageApiUrl, fixture.InferenceUrl, fixture.DashboardUrl])
        {
            foreach (var path in (string[])["/health", "/alive"])
            {
                using var response = await http.GetAsync(new Uri(service, path)).WaitAsync(s_timeout);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {service}{path[1..]} answered {(int)response.StatusCode}.");
            }
        }
    }

    [Fact]
    public void AppHost_Started_AspireReportsEveryResourceRunningAndHealthy()
    {
        foreach (var name in fixture.Resources)
        {
            Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(name, out var resource), $"No state for {name}.");
            Assert.Equal(KnownResourceStates.Running, resource.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, resource.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public void AppHost_StartedWithoutMasterKey_GeneratedOneAndKeptItOwnerOnly()
    {
        Assert.Matches("^sk-aig-master-[A-Za-z0-9_-]{40}$", fixture.MasterKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fixture.DataDirectory, "master-key")));
    }

    [Fact]
    public async Task DevelopmentKey_FirstStart_KeptOwnerOnlyShownAsResourceAndLoggedWithExamples()
    {
        var path = Path.Combine(fixture.DataDirectory, "dev-key");
        var port = fixture.Ports.Gateway;

        var log = await fixture.LogOfAsync("dev-key", "ApiKeyCredential", s_timeout);

        Assert.Matches("^sk-aig-[A-Za-z0-9_-]{43}$", fixture.DevKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState("dev-key", out var resource));
        var key = Assert.Single(resource.Snapshot.Properties, p => p.Name == "key");
        Assert.Equal(fixture.DevKey, key.Value);
        Assert.True(key.IsSensitive);
        Assert.Contains($"Development key (created now, kept in {path}): {fixture.DevKey}", log, StringComparison.Ordinal);
        Assert.Contains($"curl http://localhost:{port}/v1/chat/completions -H \"Authorization: Bearer {fixture.DevKey}\"", log, StringComparison.Ordinal);
        Assert.Contains($"OpenAI(base_url=\"http://localhost:{port}/v1\", api_key=\"{fixture.DevKey}\")", log, StringComparison.Ordinal);
    }
}
