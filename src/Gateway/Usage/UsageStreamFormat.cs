using StackExchange.Redis;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// Where batches UsageApi did not accept wait: a Redis Stream whose entries each hold one batch (field
/// <see cref="BatchField"/>: the JSON body to send again; <see cref="CountField"/>: how many events it holds). Gateways replay it through a consumer group, so several
/// replicas share the work and an entry is removed only once UsageApi has taken it.
/// </summary>
public static class UsageStreamFormat
{
    public const string StreamKey = "aig:usage:pending";
    public const string ConsumerGroup = "gateways";
    public const string BatchField = "batch";
    public const string CountField = "count";

    public static NameValueEntry[] Entry(ReadOnlyMemory<byte> batchJson, int count) =>
        [new(BatchField, batchJson), new(CountField, count)];
}
