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
}
