using AiPlatform.AppHost.Configuration;

namespace AiPlatform.AppHost.Model;

/// <summary>
/// Collects the description of the application: which resources exist, on which ports, and how they are wired.
/// Nothing runs until <see cref="DistributedApplication.RunAsync"/>.
/// </summary>
public sealed class DistributedApplicationBuilder(AppHostOptions options)
{
    private readonly List<Resource> _resources = [];

    public AppHostOptions Options { get; } = options;

    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>A Redis server on the <c>--redis-port</c>, or the one <c>ConnectionStrings__{name}</c> names.</summary>
    public IResourceBuilder<RedisResource> AddRedis(string name) =>
        Add(new RedisResource(name, Options.PortOf(PortOptions.Redis), ExternalConnectionString(name)));

    /// <summary>A PostgreSQL server on the <c>--postgres-port</c>; add its databases with <c>AddDatabase</c>.</summary>
    public IResourceBuilder<PostgresServerResource> AddPostgres(string name) =>
        Add(new PostgresServerResource(name, Options.PortOf(PortOptions.Postgres)));

    /// <summary>A service project, on the port of the option named after it (<c>--{name}-port</c>).</summary>
    public IResourceBuilder<ProjectResource> AddProject<TProject>(string name) where TProject : IProjectMetadata, new()
    {
        var portOption = PortOptions.ForProject(name);
        return Add(new ProjectResource(name, new TProject(), portOption, Options.PortOf(portOption)));
    }

    /// <summary>Checks the description (a WaitFor cycle is a mistake in Program.cs) and makes it runnable.</summary>
    public DistributedApplication Build()
    {
        ResourceGraph.Levels(_resources);
        return new DistributedApplication([.. _resources], Options);
    }

    internal IResourceBuilder<T> Add<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' was already added.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    internal string? ExternalConnectionString(string name) =>
        Options.Variable(ResourceEnvironment.ConnectionStringVariable(name));
}
