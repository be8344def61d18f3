using AiPlatform.EndToEnd.Tests.Hosting;
using AiPlatform.Testing;

namespace AiPlatform.EndToEnd.Tests;

/// <summary>Runs an AppHost of its own, since the test ends it.</summary>
public class PlatformShutdownTests
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AppHost_Interrupted_ExitsWithZeroLeavingNoProcessAndNoPort()
    {
        await using var appHost = AppHostProcess.Start();
        await appHost.WaitUntilHealthyAsync(AppHostFixture.StartTimeout).WaitAsync(AppHostFixture.StartTimeout + TimeSpan.FromSeconds(10));
        var instance = appHost.InstanceId;
        Assert.True(instance is not null, $"No child of the AppHost carries {AppHostProcess.InstanceVariable}.{Environment.NewLine}{appHost.Output}");
        Assert.Equal(6, appHost.ChildSessions.Count);

        var exitCode = await appHost.InterruptAsync(s_stopTimeout).WaitAsync(s_stopTimeout + TimeSpan.FromSeconds(5));

        Assert.True(exitCode == 0, $"The AppHost exited with {exitCode}.{Environment.NewLine}{appHost.Output}");
        Assert.Empty(ProcessTable.WithEnvironmentVariable(AppHostProcess.InstanceVariable, instance));
        Assert.DoesNotContain(ProcessTable.All(), e => appHost.ChildSessions.Contains(e.Session));
        Assert.DoesNotContain(appHost.Ports.All, FreePort.IsInUse);
    }
}
