namespace AiPlatform.UsageApi.Ledger;

// Never an event's metadata, client IP or payload: they are the callers' data.
internal static partial class LedgerLog
{
    [LoggerMessage(EventId = LogEvents.UsageBatchIngested, Level = LogLevel.Debug, Message = "Ingested {Accepted} new and {Duplicates} duplicate usage event(s)")]
    public static partial void BatchIngested(ILogger logger, int accepted, int duplicates);

    [LoggerMessage(EventId = LogEvents.UsageBatchRejected, Level = LogLevel.Warning, Message = "Refused a batch of usage events: {Param}: {Reason}")]
    public static partial void BatchRejected(ILogger logger, string? param, string reason);

    [LoggerMessage(EventId = LogEvents.UsagePartitionReady, Level = LogLevel.Information, Message = "Ledger partition for {Month} is ready")]
    public static partial void PartitionReady(ILogger logger, string month);

    [LoggerMessage(EventId = LogEvents.UsagePartitionMaintenanceFailed, Level = LogLevel.Warning, Message = "Could not create the coming ledger partitions, retrying in {Interval}: {Reason}")]
    public static partial void PartitionMaintenanceFailed(ILogger logger, TimeSpan interval, string reason);

    [LoggerMessage(EventId = LogEvents.UsagePayloadsPurged, Level = LogLevel.Information, Message = "Deleted {Count} payload(s) of requests before {Cutoff}")]
    public static partial void PayloadsPurged(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = LogEvents.UsagePayloadPurgeFailed, Level = LogLevel.Warning, Message = "Could not delete expired payloads, retrying in {Interval}: {Reason}")]
    public static partial void PayloadPurgeFailed(ILogger logger, TimeSpan interval, string reason);
}
