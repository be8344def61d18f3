namespace AiPlatform.Gateway.Routing;

/// <summary>
/// The models the Gateway serves and where each one goes, e.g.
/// <c>Gateway:Models:0:Name=sim</c>, <c>Gateway:Models:0:Targets:0:Service=inference</c>, from appsettings, a mounted
/// <c>models.json</c> (<see cref="RoutingExtensions.ModelsFileKey"/>) or environment variables. Reloaded when the configuration changes.
/// A list rather than a dictionary keyed by name, because model names may contain ':' (<c>llama3:8b</c>),
/// the configuration separator.
/// </summary>
public sealed class ModelRoutingOptions
{
    public const string SectionName = "Gateway";

    public List<ModelOptions> Models { get; set; } = [];

    /// <summary>How a model's targets are chosen when the model does not say.</summary>
    public TargetStrategy DefaultStrategy { get; set; } = TargetStrategy.PowerOfTwoChoices;
}

public sealed class ModelOptions
{
    /// <summary>The name clients send as <c>model</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// Where the model is served. Announced workers that serve a model of this name join these targets; a model with
    /// no target of its own is served by announced workers only.
    /// </summary>
    public List<TargetOptions> Targets { get; set; } = [];

    /// <summary>How a target is chosen; <see cref="ModelRoutingOptions.DefaultStrategy"/> when not set.</summary>
    public TargetStrategy? Strategy { get; set; }

    /// <summary>Models tried, in order, when every target of this one failed.</summary>
    public List<string> Fallbacks { get; set; } = [];

    /// <summary>Models tried, in order, when a target answers that the prompt exceeds the context window (<c>context_length_exceeded</c>).</summary>
    public List<string> ContextWindowFallbacks { get; set; } = [];

    /// <summary>
    /// Any other <c>/v1/</c> path (images, audio, files, batches, a provider's extras) that names this model goes to one
    /// of its targets unchanged, with the target's key, limited by requests and recorded without tokens. Off unless set:
    /// the Gateway cannot check or count what it does not understand.
    /// </summary>
    public bool PassThrough { get; set; }
}

public sealed class TargetOptions
{
    public const string OpenAICompatible = "openai-compatible";

    public string Provider { get; set; } = OpenAICompatible;

    /// <summary>A platform service name resolved through service discovery (<c>services__{name}__http__N</c>); each replica is a target.</summary>
    public string? Service { get; set; }

    /// <summary>The base URL of an OpenAI-compatible API, as an SDK's <c>base_url</c> (e.g. <c>https://api.example.com/v1</c>).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The provider's API key. Prefer <see cref="ApiKeyEnvironmentVariable"/> so the key stays out of configuration files.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Name of an environment variable (or secret mounted as one) that holds the provider's API key.</summary>
    public string? ApiKeyEnvironmentVariable { get; set; }

    /// <summary>The model name the target knows; defaults to the name clients use.</summary>
    public string? Model { get; set; }

    /// <summary>How the target is named in <c>aig-target</c> and in the ledger; defaults to the service or host name.</summary>
    public string? Name { get; set; }

    /// <summary>The target's share of the traffic relative to the model's other targets (the weighted strategy).</summary>
    public int Weight { get; set; } = 1;

    /// <summary>
    /// <c>true</c> for a target that serves OpenAI's Responses API itself (OpenAI, a recent vLLM): a <c>/v1/responses</c>
    /// request goes to it as it is. Otherwise the Gateway translates it to chat completions, which every target speaks.
    /// </summary>
    public bool NativeResponses { get; set; }
}
