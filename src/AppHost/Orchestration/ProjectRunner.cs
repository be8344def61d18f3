using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Output;
using AiPlatform.AppHost.Orchestration.Processes;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>
/// Runs a service's replicas with <c>dotnet exec</c> on its built assembly, from the project folder (as
/// <c>dotnet run</c> would), each with its own environment; ready once every replica's <c>/health</c> answers 200.
/// </summary>
internal sealed class ProjectRunner(ProjectResource project, RunContext context, EnvironmentContext environment) : IResourceRunner
{
    /// <summary>ASP.NET Core's own shutdown timeout is 30 s, but a local run should not wait that long for a stuck service.</summary>
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(10);

    private readonly List<ChildProcess> _processes = [];

    public Resource Resource => project;

    public int StopPhase => 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var workingDirectory = Path.GetDirectoryName(project.Metadata.ProjectPath)!;
        for (var i = 0; i < project.Replicas; i++)
        {
            _processes.Add(context.Start(new ProcessSpec(
                project.ReplicaName(i),
                context.Tools.Dotnet!,
                ["exec", project.Metadata.TargetPath],
                workingDirectory,
                ResourceEnvironment.ForProject(project, i, environment))));
        }

        await Task.WhenAll(_processes.Select((process, i) => context.WaitUntilReadyAsync(
            process, $"GET {project.UrlOf(i)}/health never answered 200",
            ct => Probes.HttpHealthyAsync(project.UrlOf(i), ct), cancellationToken)));
    }

    /// <summary>SIGTERM: the host stops accepting requests, drains the ones in flight and exits.</summary>
    public Task StopAsync() => Task.WhenAll(_processes.Select(p => p.StopAsync(Libc.SigTerm, s_stopGrace)));

    public IEnumerable<StatusRow> Status() =>
        Enumerable.Range(0, project.Replicas).Select(i =>
        {
            var process = i < _processes.Count ? _processes[i] : null;
            return new StatusRow(project.ReplicaName(i), StatusRow.StateOf(process, "healthy"), project.UrlOf(i), process?.Pid);
        });
}
