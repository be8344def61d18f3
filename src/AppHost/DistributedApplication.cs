using System.Collections;
using AiPlatform.AppHost.Configuration;
using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration;

namespace AiPlatform.AppHost;

/// <summary>The described application, ready to run: the bridge from the model to the orchestrator.</summary>
public sealed class DistributedApplication
{
    internal DistributedApplication(IReadOnlyList<Resource> resources, DevelopmentKeySpec? developmentKey, AppHostOptions options)
    {
        Resources = resources;
        DevelopmentKey = developmentKey;
        Options = options;
    }

    public IReadOnlyList<Resource> Resources { get; }

    public DevelopmentKeySpec? DevelopmentKey { get; }

    public AppHostOptions Options { get; }

    /// <summary>
    /// Reads the options from <paramref name="args"/> and the environment. <c>--help</c> or a bad option ends the
    /// process here, before anything is described or started.
    /// </summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var environment = Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);
        var parsed = AppHostOptionsParser.Parse(args, environment, Path.Combine(RepositoryInfo.Root, ".aiplatform"));

        if (parsed.HelpRequested)
        {
            Console.Write(AppHostOptionsParser.HelpText);
            Environment.Exit(0);
        }

        if (parsed.Options is null)
        {
            Console.Error.WriteLine(parsed.Error);
            Environment.Exit(2);
        }

        return new DistributedApplicationBuilder(parsed.Options);
    }

    /// <summary>Runs everything until Ctrl+C or SIGTERM; the exit code is 0 after a clean stop, 1 when start-up failed.</summary>
    public Task<int> RunAsync() => new Orchestrator(Resources, DevelopmentKey, Options).RunAsync();
}
