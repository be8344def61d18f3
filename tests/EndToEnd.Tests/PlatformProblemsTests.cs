using AiPlatform.EndToEnd.Tests.Hosting;

namespace AiPlatform.EndToEnd.Tests;

/// <summary>What the AppHost's console says when a service of the platform cannot start: which one, and why.</summary>
public class PlatformProblemsTests
{
    private static readonly TimeSpan s_reportTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task AppHost_ServiceCrashesAtStart_ConsoleNamesItWithItsErrorAndWhatStillWaits()
    {
        // A setting the Gateway refuses at start (its options are validated on start); the AppHost passes its variables on.
        await using var appHost = AppHostProcess.Start(new Dictionary<string, string>
        {
            ["Gateway__Cache__DefaultTtl"] = "00:00:00",
            ["AIPLATFORM_SLOW_START_WARNING"] = "5",
        });

        await appHost.WaitForOutputAsync("gateway stopped (", s_reportTimeout);
        await appHost.WaitForOutputAsync("Not ready 5 s after the start", s_reportTimeout);

        var output = appHost.Output;
        var report = output[output.IndexOf("gateway stopped (", StringComparison.Ordinal)..];
        Assert.Contains("OptionsValidationException", report, StringComparison.Ordinal);
        Assert.Contains("DefaultTtl", report, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", report, StringComparison.Ordinal);
        var notReady = output[output.IndexOf("Not ready 5 s after the start", StringComparison.Ordinal)..];
        // Waiting for the Gateway, or not even created yet on a busy machine: either way named, with its state.
        Assert.Matches(@"\n\s*dashboard: \S", notReady);
    }
}
