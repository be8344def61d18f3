using System.Collections.Concurrent;
using AiPlatform.AppHost.Configuration;
using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.DevelopmentKeys;
using AiPlatform.AppHost.Orchestration.Output;
using AiPlatform.AppHost.Orchestration.Preflight;
using AiPlatform.AppHost.Orchestration.Processes;
using AiPlatform.AppHost.Orchestration.Storage;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>
/// Runs the model. Steps:
/// 1. check what can be known to fail before anything starts (programs, builds, ports);
/// 2. prepare secrets and storage (master key, Postgres folder and password);
/// 3. start level by level in WaitFor order, each level in parallel, each resource until ready; then create the
///    development key through the admin API if the data folder has none yet;
/// 4. print where everything runs and the keys, and wait for Ctrl+C or SIGTERM, reporting children that die;
/// 5. stop: services first, then Postgres, then Redis.
/// A failure or a child's death during step 3 abandons the start (exit code 1); afterwards the others keep running.
/// </summary>
internal sealed class Orchestrator(IReadOnlyList<Resource> resources, DevelopmentKeySpec? developmentKeySpec, AppHostOptions options)
{
    private const int ExitCodeFailed = 1;
    private const int ExitCodeKilled = 130;

    private readonly CancellationTokenSource _stopRequested = new();
    private readonly ConcurrentQueue<ChildProcess> _children = new();
    private readonly ConsoleReporter _reporter = new(DisplayNames(resources), ConsoleReporter.ConsoleSupportsColor);
    private CancellationTokenSource? _startup;
    private volatile bool _stopping;

    public async Task<int> RunAsync()
    {
        using var signals = new StopSignals(RequestStop, KillEverythingAndExit);
        var instance = Guid.NewGuid();
        var isRoot = Environment.IsPrivilegedProcess;
        _reporter.Info($"AiPlatform AppHost, run {instance}. Data folder: {options.DataDirectory}");

        // 1. Checks.
        var (tools, problems) = Prerequisites.Check(resources, isRoot);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                _reporter.Error(problem);
            }

            _reporter.Error("Nothing was started.");
            return ExitCodeFailed;
        }

        List<IResourceRunner> runners = [];
        try
        {
            // 2. Secrets and storage.
            Directory.CreateDirectory(options.DataDirectory);
            var context = new RunContext(options, tools, _reporter, instance, isRoot, TimeProvider.System, Watch);
            var masterKey = MasterKey.Resolve(options);
            Dictionary<PostgresServerResource, PostgresStorage> storage = [];
            foreach (var server in resources.OfType<PostgresServerResource>().Where(s => !s.IsExternal))
            {
                storage[server] = await PostgresStorage.PrepareAsync(server, options, context, _stopRequested.Token);
            }

            var environment = new EnvironmentContext(
                instance, masterKey.Value, storage.ToDictionary(s => s.Key.Name, s => s.Value.Password), options.Environment);
            runners = [.. resources.Select(r => CreateRunner(r, context, environment, storage))];

            // 3. Start.
            if (!await StartAsync(runners))
            {
                return _stopRequested.IsCancellationRequested ? 0 : ExitCodeFailed;
            }

            var developmentKey = developmentKeySpec is null
                ? null
                : await DevelopmentKeyStep.EnsureAsync(developmentKeySpec, options, masterKey.Value, _reporter, _stopRequested.Token);

            // 4. Run.
            _reporter.Info($"AiPlatform is running. Press Ctrl+C to stop.{Environment.NewLine}");
            _reporter.Info(StatusTable.Format([.. runners.SelectMany(r => r.Status())]));
            _reporter.Info($"{Environment.NewLine}{masterKey.Description}");
            if (developmentKeySpec is { } spec && developmentKey is { } key)
            {
                DevelopmentKeyStep.Print(key, spec, _reporter);
            }

            await WaitForStopAsync();
            return 0;
        }
        catch (StartupException e)
        {
            _reporter.Error(e.Message);
            return ExitCodeFailed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A data folder that cannot be written, most likely: the message names the path.
            _reporter.Error(e.Message);
            return ExitCodeFailed;
        }
        catch (OperationCanceledException) when (_stopRequested.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            // 5. Stop.
            await StopAsync(runners);
        }
    }

    private static IEnumerable<string> DisplayNames(IReadOnlyList<Resource> resources) =>
        resources.SelectMany(r => r is ProjectResource p ? Enumerable.Range(0, p.Replicas).Select(p.ReplicaName) : [r.Name]);

    private static IResourceRunner CreateRunner(
        Resource resource, RunContext context, EnvironmentContext environment, Dictionary<PostgresServerResource, PostgresStorage> storage) =>
        resource switch
        {
            IResourceWithConnectionString { ExternalConnectionString: not null } external =>
                new ExternalResourceRunner(resource, ResourceEnvironment.ConnectionStringVariable(external.Name)),
            PostgresServerResource { IsExternal: true } server =>
                new ExternalResourceRunner(resource, string.Join(", ", server.Databases.Select(d => ResourceEnvironment.ConnectionStringVariable(d.Name)))),
            RedisResource redis => new RedisRunner(redis, context),
            PostgresServerResource server => new PostgresServerRunner(server, context, storage[server]),
            PostgresDatabaseResource database => new PostgresDatabaseRunner(database, context, storage[database.Server]),
            ProjectResource project => new ProjectRunner(project, context, environment),
            _ => throw new InvalidOperationException($"No runner knows how to run '{resource.Name}' ({resource.GetType().Name})."),
        };

    /// <summary>Starts level after level; false when start-up was abandoned (a failure, already reported, or a stop request).</summary>
    private async Task<bool> StartAsync(IReadOnlyList<IResourceRunner> runners)
    {
        var runnerOf = runners.ToDictionary(r => r.Resource);
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(_stopRequested.Token);
        _startup = startup;
        try
        {
            foreach (var level in ResourceGraph.Levels(resources))
            {
                await Task.WhenAll(level.Select(resource => StartOneAsync(runnerOf[resource], startup)));
            }

            return true;
        }
        catch (Exception) when (startup.IsCancellationRequested)
        {
            _reporter.Error(_stopRequested.IsCancellationRequested
                ? "Stopping before start-up finished."
                : "Start-up failed; stopping what was started.");
            return false;
        }
        finally
        {
            _startup = null;
        }
    }

    private async Task StartOneAsync(IResourceRunner runner, CancellationTokenSource startup)
    {
        try
        {
            await runner.StartAsync(startup.Token);
        }
        catch (OperationCanceledException) when (startup.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Reported here, as it happens; the resources still starting are then cancelled.
            _reporter.Error(e is StartupException ? e.Message : $"{runner.Resource.Name} failed to start: {e}");
            await startup.CancelAsync();
            throw;
        }
    }

    /// <summary>Every long-running child is watched from its start: a death is reported at once, and during start-up ends it.</summary>
    private void Watch(ChildProcess child)
    {
        _children.Enqueue(child);
        _ = child.Exited.ContinueWith(exited =>
        {
            if (_stopping)
            {
                return;
            }

            _reporter.Error($"{child.Name} (pid {child.Pid}) exited with code {exited.Result}. {child.Tail.Format()}");
            try
            {
                _startup?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Start-up finished in the meantime: the others keep running.
            }
        }, TaskScheduler.Default);
    }

    private async Task WaitForStopAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _stopRequested.Token);
        }
        catch (OperationCanceledException)
        {
            // The expected way out: Ctrl+C or SIGTERM.
        }
    }

    /// <summary>Stops in phases (services, Postgres, Redis); within a phase, dependents before their dependencies.</summary>
    private async Task StopAsync(IReadOnlyList<IResourceRunner> runners)
    {
        _stopping = true;
        if (_children.IsEmpty)
        {
            return;
        }

        _reporter.Info("Stopping.");
        var levelOf = ResourceGraph.Levels(resources)
            .SelectMany((level, index) => level.Select(resource => (resource, index)))
            .ToDictionary(x => x.resource, x => x.index);
        foreach (var group in runners.GroupBy(r => (r.StopPhase, -levelOf[r.Resource])).OrderBy(g => g.Key))
        {
            await Task.WhenAll(group.Select(r => r.StopAsync()));
        }

        _reporter.Info("Stopped.");
    }

    private void RequestStop()
    {
        _reporter.Info("Stop requested; press Ctrl+C again to kill everything at once.");
        _stopRequested.Cancel();
    }

    private void KillEverythingAndExit()
    {
        _stopping = true;
        foreach (var child in _children)
        {
            child.KillGroup();
        }

        _reporter.Error("Killed every process at once.");
        Environment.Exit(ExitCodeKilled);
    }
}
