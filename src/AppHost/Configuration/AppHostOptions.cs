namespace AiPlatform.AppHost.Configuration;

/// <summary>What the command line and the AppHost's own environment say about one run.</summary>
public sealed record AppHostOptions
{
    /// <summary>Port of each <see cref="PortOption"/>, by its key.</summary>
    public required IReadOnlyDictionary<string, int> Ports { get; init; }

    public int InferenceReplicas { get; init; } = 1;

    /// <summary>Where the local Redis and Postgres keep their data, and where the generated secrets are kept.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>How long a resource may take to become ready before the run is abandoned.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The AppHost's own environment. External connection strings, the master key and the OTLP settings are taken
    /// from here, so that tests can describe an environment without changing the process's.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public int PortOf(PortOption option) => Ports.TryGetValue(option.Key, out var port) ? port : option.DefaultPort;

    /// <summary>A variable of <see cref="Environment"/>, or null when it is unset or empty.</summary>
    public string? Variable(string name) =>
        Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
