using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Output;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>Runs one resource of the model: starts it, knows when it is ready, stops it.</summary>
internal interface IResourceRunner
{
    Resource Resource { get; }

    /// <summary>Services stop first (0), then Postgres (1), then Redis (2), so nothing loses a dependency while it still runs.</summary>
    int StopPhase { get; }

    /// <summary>Starts the resource and returns once it is ready; throws <see cref="StartupException"/> when it cannot be.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops whatever <see cref="StartAsync"/> started; safe to call when it started nothing.</summary>
    Task StopAsync();

    IEnumerable<StatusRow> Status();
}
