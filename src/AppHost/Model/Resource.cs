namespace AiPlatform.AppHost.Model;

/// <summary>Something the AppHost runs or points at, known to the others by its name.</summary>
public abstract class Resource(string name)
{
    private readonly List<Resource> _waitsFor = [];

    public string Name { get; } = name;

    /// <summary>Resources that must be ready before this one starts.</summary>
    public IReadOnlyList<Resource> WaitsFor => _waitsFor;

    internal void AddWaitFor(Resource dependency)
    {
        if (dependency == this)
        {
            throw new InvalidOperationException($"Resource '{Name}' cannot wait for itself.");
        }

        if (!_waitsFor.Contains(dependency))
        {
            _waitsFor.Add(dependency);
        }
    }

    public override string ToString() => Name;
}

/// <summary>A resource others reach through <c>ConnectionStrings__{name}</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>
    /// Set when the AppHost's environment already has <c>ConnectionStrings__{name}</c>: that server is used as it
    /// is and the AppHost starts none.
    /// </summary>
    string? ExternalConnectionString { get; }

    string GetConnectionString(EnvironmentContext context);
}
