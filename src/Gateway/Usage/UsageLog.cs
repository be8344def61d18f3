namespace AiPlatform.Gateway.Usage;

internal static partial class UsageLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Usage event {RequestId} lost: the queue is full and Redis is unreachable")]
    public static partial void EventDropped(ILogger logger, string requestId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Could not park {Count} usage events in Redis: {Reason}")]
    public static partial void ParkingFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "UsageApi did not take a batch of {Count} events; parked in Redis for replay")]
    public static partial void BatchParked(ILogger logger, int count);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "UsageApi rejected a batch of {Count} events; set aside in {DeadLetterKey}")]
    public static partial void BatchRejected(ILogger logger, int count, string deadLetterKey);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Error, Message = "{Count} usage events lost: UsageApi and Redis both unreachable")]
    public static partial void BatchDropped(ILogger logger, int count);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Replayed {Count} parked usage batches to UsageApi")]
    public static partial void Replayed(ILogger logger, int count);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "Replaying parked usage batches failed: {Reason}")]
    public static partial void ReplayFailed(ILogger logger, string reason);

    // Debug: it happens for every batch while Redis is down, an outage that health checks and the rate limiter report.
    [LoggerMessage(EventId = 6008, Level = LogLevel.Debug, Message = "Could not keep a copy of {Count} usage events in Redis while sending them: {Reason}")]
    public static partial void HoldFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "Could not drop the copy of a delivered usage batch from Redis (it will be replayed, without effect): {Reason}")]
    public static partial void ReleaseFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Parked {Count} usage batches a Gateway died sending")]
    public static partial void AbandonedSendsParked(ILogger logger, int count);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "UsageApi is slow to take usage batches; parked one of {Count} events in Redis for replay")]
    public static partial void BatchParkedBehindUsageApi(ILogger logger, int count);
}
