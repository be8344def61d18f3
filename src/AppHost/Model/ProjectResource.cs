using AiPlatform.AppHost.Configuration;

namespace AiPlatform.AppHost.Model;

/// <summary>
/// One of our .NET services, run from its built assembly as <see cref="Replicas"/> processes; replica <c>i</c>
/// listens on <c>http://127.0.0.1:{Port + i}</c>.
/// </summary>
public sealed class ProjectResource(string name, IProjectMetadata metadata, PortOption portOption, int port) : Resource(name)
{
    private readonly List<Resource> _references = [];
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public IProjectMetadata Metadata { get; } = metadata;

    public PortOption PortOption { get; } = portOption;

    public int Port { get; } = port;

    public int Replicas { get; internal set; } = 1;

    /// <summary>Resources whose connection string or address this project is given.</summary>
    public IReadOnlyList<Resource> References => _references;

    /// <summary>Extra variables from <c>WithEnvironment</c>; they are applied last and so win.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    public string UrlOf(int replica) => $"http://{EnvironmentContext.LoopbackHost}:{Port + replica}";

    /// <summary>The name a replica's output and status are shown under: the resource's name when there is one replica.</summary>
    public string ReplicaName(int replica) => Replicas == 1 ? Name : $"{Name}-{replica}";

    internal void AddReference(Resource resource)
    {
        if (!_references.Contains(resource))
        {
            _references.Add(resource);
        }
    }

    internal void SetEnvironment(string name, string value) => _environment[name] = value;
}
