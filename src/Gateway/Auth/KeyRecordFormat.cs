namespace AiPlatform.Gateway.Auth;

/// <summary>Where UsageApi publishes key records in Redis; mirrors UsageApi's constants of the same meaning.</summary>
public static class KeyRecordFormat
{
    /// <summary>String key <c>aig:key:{lowercase hex SHA-256 of the key}</c> holding a <see cref="KeyRecord"/> as JSON.</summary>
    public const string RedisKeyPrefix = "aig:key:";

    /// <summary>Pub/sub channel; each message is the hex hash of a key whose record changed.</summary>
    public const string InvalidationChannel = "aig:keys:invalidate";
}
