namespace AiPlatform.AppHost.Model;

/// <summary>The wiring verbs of the model, named as in Aspire.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>A database on this server, created when missing; <paramref name="databaseName"/> defaults to <paramref name="name"/>.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        var application = builder.ApplicationBuilder;
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource, application.ExternalConnectionString(name));
        builder.Resource.AddDatabase(database);
        return application.Add(database);
    }

    /// <summary>Gives the project <c>ConnectionStrings__{name}</c> of <paramref name="source"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference<TSource>(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<TSource> source)
        where TSource : Resource, IResourceWithConnectionString
    {
        builder.Resource.AddReference(source.Resource);
        return builder;
    }

    /// <summary>Gives the project <c>services__{name}__http__{i}</c>, one per replica of <paramref name="source"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> source)
    {
        if (source.Resource == builder.Resource)
        {
            throw new InvalidOperationException($"'{builder.Resource.Name}' cannot reference itself.");
        }

        builder.Resource.AddReference(source.Resource);
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> is ready (answers PING, accepts connections, or /health is 200).</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        builder.Resource.AddWaitFor(dependency.Resource);
        return builder;
    }

    /// <summary>Runs <paramref name="replicas"/> processes of the project on consecutive ports.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Sets an environment variable of the project's processes, over anything the AppHost would set.</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Resource.SetEnvironment(name, value);
        return builder;
    }
}
