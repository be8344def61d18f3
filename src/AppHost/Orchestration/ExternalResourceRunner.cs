using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Output;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>
/// A Redis or Postgres given by connection strings in the AppHost's environment: nothing to start or stop, and ready
/// at once; whether it answers is the services' health checks' business.
/// </summary>
internal sealed class ExternalResourceRunner(Resource resource, string source) : IResourceRunner
{
    public Resource Resource => resource;

    public int StopPhase => 2;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync() => Task.CompletedTask;

    /// <summary>Shows where the address comes from, not the connection string, which may hold a password.</summary>
    public IEnumerable<StatusRow> Status() => [new StatusRow(resource.Name, "external", $"from {source}", null)];
}
