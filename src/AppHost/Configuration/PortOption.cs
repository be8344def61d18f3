namespace AiPlatform.AppHost.Configuration;

/// <summary>A port the AppHost binds for one resource, settable as <c>--{Key}-port</c> or <c>AIPLATFORM_{KEY}_PORT</c>.</summary>
public sealed record PortOption(string Key, int DefaultPort, string Description)
{
    public string Flag => $"--{Key}-port";

    public string EnvironmentVariable => $"AIPLATFORM_{Key.ToUpperInvariant()}_PORT";
}

/// <summary>The ports of the resources Program.cs describes, with the defaults ARCHITECTURE.md fixes.</summary>
public static class PortOptions
{
    public static readonly PortOption Gateway = new("gateway", 8080, "Gateway, the OpenAI-compatible API");
    public static readonly PortOption UsageApi = new("usageapi", 8081, "UsageApi, the ledger and admin API");
    public static readonly PortOption Inference = new("inference", 8082, "first InferenceWorker; replica i listens on this + i");
    public static readonly PortOption Dashboard = new("dashboard", 8088, "Dashboard, the web UI");
    public static readonly PortOption Redis = new("redis", 6380, "Redis, unless ConnectionStrings__cache is set");
    public static readonly PortOption Postgres = new("postgres", 5433, "PostgreSQL, unless ConnectionStrings__usagedb is set");

    public static IReadOnlyList<PortOption> All { get; } = [Gateway, UsageApi, Inference, Dashboard, Redis, Postgres];

    /// <summary>The option of a project resource: its key is the resource's name.</summary>
    public static PortOption ForProject(string resourceName) =>
        All.FirstOrDefault(option => option.Key == resourceName)
        ?? throw new InvalidOperationException(
            $"No port option is defined for project '{resourceName}'. Add one to {nameof(PortOptions)}.");
}
