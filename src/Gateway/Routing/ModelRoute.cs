namespace AiPlatform.Gateway.Routing;

/// <summary>One place a model can be served: an OpenAI-compatible base address with its credentials.</summary>
/// <param name="Label">The value of <c>aig-target</c>, e.g. <c>inference@127.0.0.1:8082</c>.</param>
/// <param name="BaseAddress">Ends with '/', so that operation paths (<c>chat/completions</c>) resolve under it.</param>
/// <param name="UpstreamModel">The model name the target knows.</param>
/// <param name="ApiKey">The target's own key, sent instead of the client's; never logged.</param>
public sealed record RouteTarget(string Label, Uri BaseAddress, string UpstreamModel, string? ApiKey)
{
    /// <summary>The <c>Authorization</c> value sent to the target, made once rather than per request.</summary>
    public string? AuthorizationHeader { get; } = ApiKey is { Length: > 0 } ? "Bearer " + ApiKey : null;

    /// <summary>Never prints the key (records print every property by default).</summary>
    public override string ToString() => Label;
}

/// <summary>
/// The targets of one model in order of preference; the replicas of one configured target share its place
/// and are taken in turn, so load spreads across them.
/// </summary>
public sealed class ModelRoute(string name, IReadOnlyList<IReadOnlyList<RouteTarget>> targetGroups)
{
    private int _next;

    public string Name { get; } = name;

    /// <summary>Every target, as a flat list, in the order a request should try them.</summary>
    public IReadOnlyList<RouteTarget> OrderForNextRequest()
    {
        var turn = Interlocked.Increment(ref _next);
        if (targetGroups.Count == 1 && targetGroups[0].Count == 1)
        {
            return targetGroups[0];
        }

        var order = new List<RouteTarget>();
        foreach (var group in targetGroups)
        {
            var start = (int)((uint)turn % (uint)group.Count);
            for (var i = 0; i < group.Count; i++)
            {
                order.Add(group[(start + i) % group.Count]);
            }
        }

        return order;
    }
}
