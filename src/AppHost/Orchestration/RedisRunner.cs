using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Output;
using AiPlatform.AppHost.Orchestration.Processes;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>A local <c>redis-server</c> in the foreground, persisting to an append-only file in the data folder.</summary>
internal sealed class RedisRunner(RedisResource redis, RunContext context) : IResourceRunner
{
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(10);

    private ChildProcess? _process;

    public Resource Resource => redis;

    public int StopPhase => 2;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(context.Options.DataDirectory, "redis");
        Directory.CreateDirectory(directory);

        _process = context.Start(new ProcessSpec(
            redis.Name,
            context.Tools.RedisServer!,
            [
                "--port", $"{redis.Port}",
                "--bind", EnvironmentContext.LoopbackHost,
                "--dir", directory,
                "--appendonly", "yes",
                "--daemonize", "no",

                // A process title would overwrite the environment area /proc/<pid>/environ shows, hiding the run's
                // AIPLATFORM_APPHOST_INSTANCE from whoever looks for leftovers.
                "--set-proc-title", "no",
            ],
            directory,
            context.ProcessEnvironment));

        await context.WaitUntilReadyAsync(
            _process, $"PING on {EnvironmentContext.LoopbackHost}:{redis.Port} never answered +PONG",
            ct => Probes.RedisAnswersPingAsync(redis.Port, ct), cancellationToken);
    }

    /// <summary>SIGTERM: Redis flushes its append-only file and exits.</summary>
    public Task StopAsync() => _process?.StopAsync(Libc.SigTerm, s_stopGrace) ?? Task.CompletedTask;

    public IEnumerable<StatusRow> Status() =>
        [new StatusRow(redis.Name, StatusRow.StateOf(_process, "running"), $"{EnvironmentContext.LoopbackHost}:{redis.Port}", _process?.Pid)];
}
