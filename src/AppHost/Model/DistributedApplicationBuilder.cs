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

    /// <summary>The development key to create and print, if <see cref="AddDevelopmentKey"/> asked for one.</summary>
    public DevelopmentKeySpec? DevelopmentKey { get; private set; }

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

    /// <summary>
    /// Creates a virtual key through <paramref name="adminApi"/> at the first start and prints it at every start with
    /// examples against <paramref name="gateway"/> and <paramref name="model"/> (see <see cref="DevelopmentKeySpec"/>).
    /// </summary>
    public DistributedApplicationBuilder AddDevelopmentKey(
        IResourceBuilder<ProjectResource> adminApi, IResourceBuilder<ProjectResource> gateway, string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        if (DevelopmentKey is not null)
        {
            throw new InvalidOperationException("A development key was already added.");
        }

        DevelopmentKey = new DevelopmentKeySpec(adminApi.Resource, gateway.Resource, model);
        return this;
    }

    /// <summary>Checks the description (a WaitFor cycle is a mistake in Program.cs) and makes it runnable.</summary>
    public DistributedApplication Build()
    {
        ResourceGraph.Levels(_resources);
        return new DistributedApplication([.. _resources], DevelopmentKey, Options);
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
