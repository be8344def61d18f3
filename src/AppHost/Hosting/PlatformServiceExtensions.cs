using AiPlatform.ServiceDefaults.Configuration;


namespace Aspire.Hosting;

/// <summary>The platform's services as Aspire project resources, each on its own fixed port.</summary>
internal static class PlatformServiceExtensions
{
    private const string HealthPath = "/health";

    /// <summary>
    /// A service listening on <paramref name="port"/> itself: not proxied by the orchestrator, so the Gateway's public
    /// endpoint has no extra hop and each InferenceWorker replica keeps an address of its own. Ready (for
    /// <c>WaitFor</c>) when its <c>/health</c> answers 200, which includes the Redis and Postgres it depends on (not the
    /// InferenceWorker's Redis: it only announces itself there, and serves without it).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPlatformService<TProject>(
        this IDistributedApplicationBuilder builder, string name, int port) where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
            .WithEnvironment(KnownConfigNames.AspNetCoreEnvironment, builder.Environment.EnvironmentName)
            .WithHttpHealthCheck(HealthPath);

    /// <summary>
    /// <paramref name="count"/> replicas named <c>{name}-{i}</c>, replica i on <paramref name="firstPort"/> + i, each
    /// given its references by <paramref name="configure"/>.
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<ProjectResource>> AddPlatformServiceReplicas<TProject>(
        this IDistributedApplicationBuilder builder, string name, int firstPort, int count,
        Action<IResourceBuilder<ProjectResource>> configure) where TProject : IProjectMetadata, new() =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var replica = builder.AddPlatformService<TProject>($"{name}-{i}", firstPort + i);
            configure(replica);
            return replica;
        })];

    /// <summary>
    /// Gives <paramref name="builder"/> every replica's own address as Aspire's <c>services__{service}__http__{i}</c>, the
    /// way a reference to a replicated resource would, but without the orchestrator's proxy in front of them: the
    /// Gateway routes across the replicas itself and needs to tell them apart.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplicaReferences(
        this IResourceBuilder<ProjectResource> builder, string service, IReadOnlyList<IResourceBuilder<ProjectResource>> replicas)
    {
        for (var i = 0; i < replicas.Count; i++)
        {
            builder.WithEnvironment(KnownConfigNames.ServiceAddressVariable(service, i), replicas[i].GetEndpoint("http"));
        }

        return builder;
    }

    public static IResourceBuilder<ProjectResource> WaitForAll(
        this IResourceBuilder<ProjectResource> builder, IReadOnlyList<IResourceBuilder<ProjectResource>> dependencies)
    {
        foreach (var dependency in dependencies)
        {
            builder.WaitFor(dependency);
        }

        return builder;
    }
}
