using System.Text.Json.Serialization;

namespace AiPlatform.Gateway.Routing;

/// <summary>The answer of <c>GET /v1/admin/backends</c> (snake_case): <c>{"object": "list", "data": [model, …]}</c>.</summary>
public sealed record BackendList(string Object, IReadOnlyList<BackendModel> Data);

/// <summary>A model the Gateway serves, how it picks among its targets, and where it goes when they all fail.</summary>
public sealed record BackendModel(
    string Model,
    string Strategy,
    IReadOnlyList<string> Fallbacks,
    IReadOnlyList<string> ContextWindowFallbacks,
    IReadOnlyList<BackendTarget> Targets)
{
    public static BackendModel Of(ModelRoute route, long now) =>
        new(route.Name, route.Strategy.ToString(), route.Fallbacks, route.ContextWindowFallbacks, [.. route.Targets.Select(t => BackendTarget.Of(t, now))]);
}

/// <summary>One target of a model as this replica sees it now.</summary>
/// <param name="Name">Its label: the <c>aig-target</c> header's value and the ledger record's <c>target</c>.</param>
/// <param name="Address">The base URL requests go to.</param>
/// <param name="Provider">The configured provider (<c>openai-compatible</c>), or an announced worker's engine.</param>
/// <param name="ServedModel">The model name the target is sent.</param>
/// <param name="State"><c>up</c>; <c>ejected</c> (outlier ejection, or its one probe under way); <c>cooling_down</c> (after a 429's <c>Retry-After</c>).</param>
/// <param name="InFlight">Requests this replica has at the target now.</param>
/// <param name="Waiting">The queue its worker last announced; null when no worker announces at the address.</param>
/// <param name="Announced">The target joined the model through a worker's announcement rather than configuration.</param>
/// <param name="Recent">Its last minute.</param>
public sealed record BackendTarget(
    string Name,
    string Address,
    string Provider,
    string ServedModel,
    string State,
    int InFlight,
    int? Waiting,
    bool Announced,
    BackendRecent Recent)
{
    public static BackendTarget Of(RouteTarget target, long now)
    {
        var state = target.State;
        return new BackendTarget(
            target.Label,
            state.Address,
            target.Provider,
            target.UpstreamModel,
            !state.Circuit.AllowsRequest(now) ? "ejected" : state.CoolDownUntil > now ? "cooling_down" : "up",
            state.Outstanding,
            state.Load?.Waiting,
            target.Announced,
            BackendRecent.Of(state.Recent.Read(now)));
    }
}

/// <summary>
/// The target's attempts of the last <see cref="WindowSeconds"/> from this replica: all of them, the failed ones (no
/// connection, timeout, 408, 429, 5xx, an answer cut short), and the duration percentiles of the others (null: none).
/// </summary>
public sealed record BackendRecent(int Requests, int Errors, double ErrorRate, int? LatencyMsP50, int? LatencyMsP95, int WindowSeconds)
{
    public static BackendRecent Of(RecentFigures figures) =>
        new(figures.Requests, figures.Errors, figures.ErrorRate, figures.LatencyMsP50, figures.LatencyMsP95, RecentAttempts.WindowSeconds);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BackendList))]
internal sealed partial class BackendsJsonContext : JsonSerializerContext;
