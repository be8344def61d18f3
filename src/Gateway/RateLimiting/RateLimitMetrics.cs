using System.Diagnostics.Metrics;

namespace AiPlatform.Gateway.RateLimiting;

/// <summary>Refusals by the limits, so that a key's team hitting its ceiling shows on a dashboard before it files a ticket.</summary>
public sealed class RateLimitMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _refusals = meters.Create(GatewayMeter.Name).CreateCounter<long>("aiplatform.gateway.rate_limit.refusals", "{request}",
        "Requests refused, by aig.limit: requests, tokens, client_address, or unavailable (the limits could not be checked)");

    public void Refused(RateLimitDecision? decision, int tokenEstimate) =>
        _refusals.Add(1, new KeyValuePair<string, object?>("aig.limit", LimitOf(decision, tokenEstimate)));

    /// <summary>Which limit refused, in the order <see cref="RateLimitReasons"/> words it.</summary>
    private static string LimitOf(RateLimitDecision? decision, int tokenEstimate) => decision switch
    {
        null => "unavailable",
        { Requests.Remaining: <= 0 } => "requests",
        { Tokens: { } tokens } when tokens.Remaining < tokenEstimate => "tokens",
        _ => "client_address",
    };
}
