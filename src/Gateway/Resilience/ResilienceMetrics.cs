using System.Diagnostics.Metrics;

namespace AiPlatform.Gateway.Resilience;

/// <summary>Retries, fallbacks and ejections counted per target, so a sick backend shows on a dashboard before users notice.</summary>
public sealed class ResilienceMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _retries = meters.Create(GatewayMeter.Name).CreateCounter<long>("aiplatform.gateway.upstream.retries",
        description: "Attempts after the first, by the target they went to and whether they went to a fallback model");

    private readonly Counter<long> _ejections = meters.Create(GatewayMeter.Name).CreateCounter<long>("aiplatform.gateway.upstream.ejections",
        description: "Targets taken out of rotation after failures");

    public void Retried(string target, bool fallback) =>
        _retries.Add(1, new KeyValuePair<string, object?>("aig.target", target), new KeyValuePair<string, object?>("aig.fallback", fallback));

    public void Ejected(string target) => _ejections.Add(1, new KeyValuePair<string, object?>("aig.target", target));
}
