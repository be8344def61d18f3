using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Routing;

/// <summary>One place a model can be served: an OpenAI-compatible base address with its credentials.</summary>
/// <param name="Label">The value of <c>aig-target</c>, e.g. <c>inference@127.0.0.1:8082</c>.</param>
/// <param name="BaseAddress">Ends with '/', so that operation paths (<c>chat/completions</c>) resolve under it.</param>
/// <param name="UpstreamModel">The model name the target knows.</param>
/// <param name="ApiKey">The target's own key, sent instead of the client's; never logged.</param>
/// <param name="Weight">Its share of the model's traffic under the weighted strategies.</param>
/// <param name="State">
/// What the Gateway knows of the address behind it (requests in flight, announced load, outlier ejection), shared by
/// every route to that address and kept across reloads of the catalog.
/// </param>
public sealed record RouteTarget(string Label, Uri BaseAddress, string UpstreamModel, string? ApiKey, int Weight, TargetState State)
{
    /// <summary>The kind of API behind it: the configured <c>Provider</c>, or an announced worker's engine (<c>simulator</c>, <c>vllm</c>).</summary>
    public string Provider { get; init; } = TargetOptions.OpenAICompatible;

    /// <summary>The target serves <c>/v1/responses</c> itself (<see cref="TargetOptions.NativeResponses"/>); otherwise it gets the chat translation.</summary>
    public bool NativeResponses { get; init; }

    /// <summary>The target joined its model through a worker's announcement in Redis rather than through configuration.</summary>
    public bool Announced { get; init; }

    /// <summary>The <c>Authorization</c> value sent to the target, made once rather than per request.</summary>
    public string? AuthorizationHeader { get; } = ApiKey is { Length: > 0 } ? "Bearer " + ApiKey : null;

    /// <summary>The host the target's requests go to (<c>server.address</c> in telemetry), made once.</summary>
    public string ServerAddress { get; } = BaseAddress.Host;

    /// <summary>
    /// The GenAI conventions' <c>gen_ai.provider.name</c>: <c>openai</c> for a configured OpenAI-compatible API (the
    /// value OpenAI's own client instrumentation gives any such server), else the announced engine.
    /// </summary>
    public string GenAiProvider => Provider == TargetOptions.OpenAICompatible ? "openai" : Provider;

    private readonly Uri[] _operationAddresses = [.. Enum.GetValues<InferenceOperation>().Select(o => new Uri(BaseAddress, o.UpstreamPath()))];

    /// <summary>The address of an operation on this target, made once rather than per request.</summary>
    public Uri AddressOf(InferenceOperation operation) => _operationAddresses[(int)operation];

    /// <summary>Never prints the key (records print every property by default).</summary>
    public override string ToString() => Label;
}

/// <summary>A model's targets, how one is chosen, and where to go when all of them fail.</summary>
public sealed record ModelRoute(
    string Name,
    TargetStrategy Strategy,
    IReadOnlyList<RouteTarget> Targets,
    IReadOnlyList<string> Fallbacks,
    IReadOnlyList<string> ContextWindowFallbacks)
{
    /// <summary>Other <c>/v1/</c> paths naming this model go to its targets as they are (<see cref="ModelOptions.PassThrough"/>).</summary>
    public bool PassThrough { get; init; }
}
