using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiPlatform.AppHost.Hosting;

/// <summary>
/// Says on the AppHost's console when a resource stops or fails to start while the platform runs, with the last lines
/// it wrote, and which resources are still not ready a while after the start. Without this, a service that crashes at
/// start leaves the terminal silent (its output goes to the Aspire dashboard only) and everything that waits for it
/// waits for ever.
/// </summary>
internal sealed partial class ResourceProblemReport(
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers,
    PlatformOptions options)
{
    private const int LastLines = 25;

    private readonly ILogger _logger = loggers.CreateLogger(AppHostLog.Category);
    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new();

    /// <summary>Runs until the AppHost stops.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var slowStartCheck = ReportNotReadyAsync(stoppingToken);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var @event in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                _latest[@event.ResourceId] = @event;
                if (!HasFailed(@event.Snapshot))
                {
                    // Started again (a restart from the dashboard): a new failure is news again.
                    reported.Remove(@event.ResourceId);
                }
                else if (!lifetime.ApplicationStopping.IsCancellationRequested && reported.Add(@event.ResourceId))
                {
                    await ReportStoppedAsync(@event, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception e)
        {
            // Nothing awaits this watch: said here, or it would end unseen.
            AppHostLog.ProblemReportStopped(_logger, e.Message);
        }

        await slowStartCheck.ConfigureAwait(false);
    }

    private async Task ReportStoppedAsync(ResourceEvent @event, CancellationToken cancellationToken)
    {
        var lines = new Queue<string>(LastLines);
        try
        {
            await foreach (var batch in logs.GetAllAsync(@event.ResourceId).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                foreach (var line in batch)
                {
                    if (lines.Count == LastLines)
                    {
                        lines.Dequeue();
                    }

                    lines.Enqueue(ColourCodes().Replace(line.Content, ""));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lines.Enqueue($"(its log could not be read: {e.Message})");
        }

        var output = lines.Count == 0 ? "    (it wrote nothing)" : string.Join(Environment.NewLine, lines.Select(line => $"    {line}"));
        AppHostLog.ResourceStopped(_logger, @event.Resource.Name, @event.Snapshot.State?.Text ?? "stopped", @event.Snapshot.ExitCode?.ToString() ?? "none", output);
    }

    private async Task ReportNotReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.SlowStartWarning, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var waiting = _latest.Values.Where(e => !e.Snapshot.IsHidden && !IsReady(e.Snapshot)).OrderBy(e => e.Resource.Name, StringComparer.Ordinal)
            .Select(e => $"    {e.Resource.Name}: {Describe(e.Snapshot)}").ToList();
        if (waiting.Count > 0 && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            AppHostLog.ResourcesNotReady(_logger, options.SlowStartWarning.TotalSeconds, string.Join(Environment.NewLine, waiting));
        }
    }

    /// <summary>Stopped resources were reported when they failed; a resource without health checks is ready when it runs.</summary>
    private static bool IsReady(CustomResourceSnapshot snapshot) =>
        KnownResourceStates.TerminalStates.Contains(snapshot.State?.Text)
        || (snapshot.State?.Text == KnownResourceStates.Running
            && (snapshot.HealthReports.IsEmpty || snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy));

    /// <summary>A process that ended with an error (a crash shows as Finished with the runtime's exit code 134) or never started.</summary>
    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex ColourCodes();

    private static bool HasFailed(CustomResourceSnapshot snapshot) =>
        snapshot.State?.Text == KnownResourceStates.FailedToStart
        || (KnownResourceStates.TerminalStates.Contains(snapshot.State?.Text) && snapshot.ExitCode is { } code && code != 0);

    private static string Describe(CustomResourceSnapshot snapshot)
    {
        var state = snapshot.State?.Text is { Length: > 0 } text ? text : "not started";
        var unhealthy = snapshot.HealthReports
            .Where(report => report.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            .Select(report => $"health check '{report.Name}' {report.Status?.ToString() ?? "not run yet"}{(report.Description is { Length: > 0 } d ? $": {d}" : "")}");
        return string.Join("; ", [state, .. unhealthy]);
    }
}

internal static class ResourceProblemReportExtensions
{
    /// <summary>
    /// Started before the orchestrator creates the resources, not as a hosted service: the host starts hosted services one
    /// after the other, and the orchestrator's start does not return while a resource waits for a dependency that failed.
    /// </summary>
    public static void AddResourceProblemReport(this IDistributedApplicationBuilder builder, PlatformOptions options)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
        {
            var services = @event.Services;
            var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
            var report = new ResourceProblemReport(services.GetRequiredService<ResourceNotificationService>(),
                services.GetRequiredService<ResourceLoggerService>(), lifetime, services.GetRequiredService<ILoggerFactory>(), options);
            _ = report.RunAsync(lifetime.ApplicationStopping);
            return Task.CompletedTask;
        });
    }
}
