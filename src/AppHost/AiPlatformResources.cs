using AiPlatform.AppHost.Model;
using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.AppHost;

/// <summary>
/// The platform as resources: what runs, on which port option, and how it is wired. Kept out of Program.cs so that
/// tests can check the real wiring's environment without starting anything.
/// </summary>
public static class AiPlatformResources
{
    /// <summary>The simulator's model, served by the InferenceWorker replicas.</summary>
    public const string SimulatorModel = "sim";

    public static DistributedApplicationBuilder AddAiPlatform(this DistributedApplicationBuilder builder)
    {
        var cache = builder.AddRedis(KnownResourceNames.Cache);
        var usageDb = builder.AddPostgres(KnownResourceNames.Postgres).AddDatabase(KnownResourceNames.UsageDb);

        var usageApi = builder.AddProject<Projects.UsageApi>(KnownResourceNames.UsageApi)
            .WithReference(usageDb).WithReference(cache)
            .WaitFor(usageDb).WaitFor(cache);

        var inference = builder.AddProject<Projects.InferenceWorker>(KnownResourceNames.Inference)
            .WithReplicas(builder.Options.InferenceReplicas);

        var gateway = builder.AddProject<Projects.Gateway>(KnownResourceNames.Gateway)
            .WithReference(cache).WithReference(usageApi).WithReference(inference)
            // Add more models the same way.
            .WithEnvironment("Gateway__Models__0__Name", SimulatorModel)
            .WithEnvironment("Gateway__Models__0__Targets__0__Service", KnownResourceNames.Inference)
            .WaitFor(cache).WaitFor(usageApi).WaitFor(inference);

        builder.AddProject<Projects.Dashboard>(KnownResourceNames.Dashboard)
            .WithReference(usageApi).WithReference(gateway).WithReference(inference)
            .WaitFor(gateway);

        // A key to try the Gateway with, so that a first run needs no admin call before the first request.
        builder.AddDevelopmentKey(usageApi, gateway, SimulatorModel);

        return builder;
    }
}
