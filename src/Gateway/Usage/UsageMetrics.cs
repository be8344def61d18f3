using System.Diagnostics.Metrics;

namespace AiPlatform.Gateway.Usage;

/// <summary>Counts what happens to usage events, so a loss (which should never happen) is visible.</summary>
public sealed class UsageMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _produced = meters.Create(GatewayMeter.Name).CreateCounter<long>("aiplatform.gateway.usage.events_produced");
    private readonly Counter<long> _delivered = meters.Create(GatewayMeter.Name).CreateCounter<long>("aiplatform.gateway.usage.events_delivered");
    private readonly Counter<long> _parked = meters.Create(GatewayMeter.Name).CreateCounter<long>("aiplatform.gateway.usage.events_parked",
        description: "Events written to the Redis Stream because UsageApi did not take them");
    private readonly Counter<long> _dropped = meters.Create(GatewayMeter.Name).CreateCounter<long>("aiplatform.gateway.usage.events_dropped",
        description: "Events lost because neither UsageApi nor Redis could take them");

    public void Produced() => _produced.Add(1);

    public void Delivered(int count) => _delivered.Add(count);

    public void Parked(int count) => _parked.Add(count);

    public void Dropped(int count) => _dropped.Add(count);
}
