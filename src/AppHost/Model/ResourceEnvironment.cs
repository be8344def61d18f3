using AiPlatform.AppHost.Configuration;
using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.AppHost.Model;

/// <summary>
/// The environment variables each process gets, on top of the AppHost's own: the configuration contract the services
/// read (Aspire's names, <c>__</c> for <c>:</c>). A pure function of the model and the <see cref="EnvironmentContext"/>.
/// </summary>
public static class ResourceEnvironment
{
    private static readonly string[] s_passedThroughFromHost = [KnownConfigNames.OtlpEndpoint, KnownConfigNames.OtlpProtocol];

    /// <summary>What every process the AppHost starts gets, Redis and Postgres included.</summary>
    public static Dictionary<string, string> ForProcess(Guid appHostInstance) =>
        new(StringComparer.Ordinal) { [AppHostVariables.Instance] = appHostInstance.ToString() };

    public static IReadOnlyDictionary<string, string> ForProject(ProjectResource project, int replica, EnvironmentContext context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replica);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(replica, project.Replicas);

        var environment = ForProcess(context.AppHostInstance);
        environment[KnownConfigNames.AspNetCoreUrls] = project.UrlOf(replica);
        environment[KnownConfigNames.AspNetCoreEnvironment] = AppHostVariables.DevelopmentEnvironmentName;
        environment[AppHostVariables.DotNetEnvironment] = AppHostVariables.DevelopmentEnvironmentName;
        environment[KnownConfigNames.OtelServiceName] = project.Name;
        environment[KnownConfigNames.OtelResourceAttributes] =
            $"service.instance.id={project.ReplicaName(replica)}-{context.AppHostInstance.ToString("N")[..8]}";
        environment[KnownConfigNames.MasterKey] = context.MasterKey;

        // An OTLP collector is opt-in: without one the services export nothing rather than fail to connect.
        foreach (var name in s_passedThroughFromHost)
        {
            if (context.HostEnvironment.TryGetValue(name, out var value) && value.Length > 0)
            {
                environment[name] = value;
            }
        }

        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case IResourceWithConnectionString withConnectionString:
                    environment[ConnectionStringVariable(withConnectionString.Name)] = withConnectionString.GetConnectionString(context);
                    break;
                case ProjectResource service:
                    for (var i = 0; i < service.Replicas; i++)
                    {
                        environment[ServiceAddressVariable(service.Name, i)] = service.UrlOf(i);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"'{project.Name}' references '{reference.Name}', which has no connection string or address.");
            }
        }

        foreach (var (name, value) in project.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }

    public static string ConnectionStringVariable(string resourceName) =>
        $"{KnownConfigNames.ConnectionStringsSection}__{resourceName}";

    /// <summary>Aspire's <c>services__{name}__{scheme}__{index}</c>; the scheme, not an endpoint name (Aspire #14626).</summary>
    public static string ServiceAddressVariable(string resourceName, int index) =>
        $"{KnownConfigNames.ServicesSection}__{resourceName}__http__{index}";
}
