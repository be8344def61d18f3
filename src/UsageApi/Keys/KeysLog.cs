namespace AiPlatform.UsageApi.Keys;

// Plain keys are never logged; the display prefix (sk-aig-AbCd…) identifies a key without revealing it.
internal static partial class KeysLog
{
    [LoggerMessage(EventId = LogEvents.KeyCreated, Level = LogLevel.Information, Message = "Created API key {KeyId} ({KeyPrefix})")]
    public static partial void KeyCreated(ILogger logger, Guid keyId, string keyPrefix);

    [LoggerMessage(EventId = LogEvents.KeyUpdated, Level = LogLevel.Information, Message = "Updated API key {KeyId} ({KeyPrefix}), version {Version}")]
    public static partial void KeyUpdated(ILogger logger, Guid keyId, string keyPrefix, long version);

    [LoggerMessage(EventId = LogEvents.KeyRevoked, Level = LogLevel.Information, Message = "Revoked API key {KeyId} ({KeyPrefix})")]
    public static partial void KeyRevoked(ILogger logger, Guid keyId, string keyPrefix);

    [LoggerMessage(EventId = LogEvents.KeyRecordDeferred, Level = LogLevel.Warning,
        Message = "Could not write the Redis record of API key {KeyId}; the change is saved and the record will be written in the background: {Reason}")]
    public static partial void KeyRecordDeferred(ILogger logger, Guid keyId, string reason);

    [LoggerMessage(EventId = LogEvents.KeyRecordsResynced, Level = LogLevel.Information, Message = "Wrote the Redis records of {Count} API key(s)")]
    public static partial void KeyRecordsResynced(ILogger logger, int count);

    [LoggerMessage(EventId = LogEvents.KeyRecordsResyncFailed, Level = LogLevel.Warning, Message = "Could not re-sync API key records to Redis, retrying in {Delay}: {Reason}")]
    public static partial void KeyRecordsResyncFailed(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(EventId = LogEvents.DeferredKeyRecordsWritten, Level = LogLevel.Information, Message = "Wrote {Count} deferred API key record(s) to Redis")]
    public static partial void DeferredKeyRecordsWritten(ILogger logger, int count);

    [LoggerMessage(EventId = LogEvents.DeferredKeyRecordsFailed, Level = LogLevel.Warning, Message = "{Count} API key record(s) still wait for Redis, retrying in {Delay}: {Reason}")]
    public static partial void DeferredKeyRecordsFailed(ILogger logger, int count, TimeSpan delay, string reason);

    [LoggerMessage(EventId = LogEvents.StaleKeyRecordSkipped, Level = LogLevel.Debug, Message = "Skipped a Redis write of API key {KeyId} version {Version}: Redis holds a newer one")]
    public static partial void StaleKeyRecordSkipped(ILogger logger, Guid keyId, long version);

    [LoggerMessage(EventId = LogEvents.KeyRecordQueueFull, Level = LogLevel.Warning, Message = "The queue of deferred API key records is full; a full re-sync will run instead")]
    public static partial void KeyRecordQueueFull(ILogger logger);

    [LoggerMessage(EventId = LogEvents.RedisConnectionRestored, Level = LogLevel.Information, Message = "Redis connection restored; re-syncing every API key record")]
    public static partial void RedisConnectionRestored(ILogger logger);
}
