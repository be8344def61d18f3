using AiPlatform.EndToEnd.Tests.Hosting;
using AiPlatform.Testing;

namespace AiPlatform.EndToEnd.Tests;

/// <summary>The AppHost run as a developer runs it (a process, with the Aspire dashboard), then stopped as a terminal or a supervisor stops it.</summary>
public class PlatformShutdownTests
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_leftoverGrace = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AppHost_StartedThenInterrupted_PrintsWhereEverythingIsThenExitsLeavingNoProcessAndNoPort()
    {
        await using var appHost = AppHostProcess.Start();
        await appHost.WaitUntilHealthyAsync(AppHostFixture.StartTimeout).WaitAsync(AppHostFixture.StartTimeout + TimeSpan.FromSeconds(10));
        await appHost.WaitForOutputAsync("ApiKeyCredential", TimeSpan.FromSeconds(60));
        var running = appHost.RunProcesses();

        var exitCode = await appHost.StopAsync(Signals.SigInt, s_stopTimeout).WaitAsync(s_stopTimeout + TimeSpan.FromSeconds(5));

        Assert.Contains($"Login to the dashboard at http://127.0.0.1:{appHost.DashboardPort}/login?t=", appHost.Output, StringComparison.Ordinal);
        Assert.Contains($"Gateway: http://localhost:{appHost.Ports.Gateway}/", appHost.Output, StringComparison.Ordinal);
        Assert.Contains("Development key (created now, kept in", appHost.Output, StringComparison.Ordinal);
        // DCP, the dashboard, Redis, Postgres and the four services at least.
        Assert.True(running.Count >= 8, $"Only {running.Count} processes of the run were found while it ran.");
        await AssertStoppedCleanlyAsync(appHost, exitCode);
    }

    [Fact]
    public async Task AppHost_Terminated_ExitsLeavingNoProcessAndNoPort()
    {
        await using var appHost = AppHostProcess.Start();
        await appHost.WaitUntilHealthyAsync(AppHostFixture.StartTimeout).WaitAsync(AppHostFixture.StartTimeout + TimeSpan.FromSeconds(10));

        var exitCode = await appHost.StopAsync(Signals.SigTerm, s_stopTimeout).WaitAsync(s_stopTimeout + TimeSpan.FromSeconds(5));

        await AssertStoppedCleanlyAsync(appHost, exitCode);
    }

    private static async Task AssertStoppedCleanlyAsync(AppHostProcess appHost, int exitCode)
    {
        Assert.True(exitCode == 0, $"The AppHost exited with {exitCode}.{Environment.NewLine}{appHost.Output}");
        Assert.Empty(await appHost.LeftoversAfterAsync(s_leftoverGrace));
        Assert.DoesNotContain(appHost.AllPorts, FreePort.IsInUse);
    }
}
