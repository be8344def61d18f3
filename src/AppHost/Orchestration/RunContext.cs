using AiPlatform.AppHost.Configuration;
using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Output;
using AiPlatform.AppHost.Orchestration.Preflight;
using AiPlatform.AppHost.Orchestration.Processes;
using AiPlatform.AppHost.Orchestration.Storage;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>What every runner of one AppHost run shares.</summary>
internal sealed class RunContext(
    AppHostOptions options,
    Tools tools,
    ConsoleReporter reporter,
    Guid instance,
    bool isRoot,
    TimeProvider timeProvider,
    Action<ChildProcess> onStarted)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);

    public AppHostOptions Options { get; } = options;

    public Tools Tools { get; } = tools;

    public ConsoleReporter Reporter { get; } = reporter;

    public Guid Instance { get; } = instance;

    /// <summary>Root cannot run initdb or postgres; they then run as <see cref="PostgresStorage.OsUser"/>.</summary>
    public bool IsRoot { get; } = isRoot;

    public TimeProvider TimeProvider { get; } = timeProvider;

    /// <summary>The variables of every process of this run, short-lived commands included.</summary>
    public IReadOnlyDictionary<string, string> ProcessEnvironment { get; } = ResourceEnvironment.ForProcess(instance);

    /// <summary>Starts a long-running process of a resource; the orchestrator watches it from then on.</summary>
    public ChildProcess Start(ProcessSpec spec)
    {
        var child = ChildProcess.Start(spec, Tools.Setsid, Reporter);
        onStarted(child);
        return child;
    }

    /// <summary>
    /// The command line that runs <paramref name="program"/> as the postgres user when we are root. setpriv changes
    /// user and then execs, so the pid stays the program's (runuser would fork and stand in between).
    /// </summary>
    public (string FileName, IReadOnlyList<string> Arguments) AsPostgresUser(string program, IEnumerable<string> arguments) =>
        IsRoot
            ? (Tools.Setpriv!, [$"--reuid={PostgresStorage.OsUser}", $"--regid={PostgresStorage.OsUser}", "--init-groups", "--", program, .. arguments])
            : (program, [.. arguments]);

    /// <summary>Polls <paramref name="probe"/> until it succeeds, failing after the health timeout with the process's last output.</summary>
    /// <param name="process">The process being waited for.</param>
    /// <param name="failure">What never happened, for the message: "GET …/health never answered 200".</param>
    /// <param name="probe">One bounded check.</param>
    /// <param name="cancellationToken">Cancelled when start-up is abandoned.</param>
    public async Task WaitUntilReadyAsync(
        ChildProcess process, string failure, Func<CancellationToken, Task<bool>> probe, CancellationToken cancellationToken)
    {
        var started = TimeProvider.GetTimestamp();
        while (!await probe(cancellationToken))
        {
            if (TimeProvider.GetElapsedTime(started) >= Options.HealthTimeout)
            {
                throw new StartupException(
                    $"{process.Name} did not become ready within {Options.HealthTimeout.TotalSeconds:0} s: {failure}. " +
                    $"Raise the limit with --health-timeout <seconds>. {process.Tail.Format()}");
            }

            await Task.Delay(s_pollInterval, TimeProvider, cancellationToken);
        }

        Reporter.Info($"{process.Name} is ready ({TimeProvider.GetElapsedTime(started).TotalSeconds:0.0} s).");
    }
}
