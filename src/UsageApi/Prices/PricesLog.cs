namespace AiPlatform.UsageApi.Prices;

internal static partial class PricesLog
{
    [LoggerMessage(EventId = LogEvents.PriceSet, Level = LogLevel.Information, Message = "Set the price of model {Model}: {InputPerMillionUsd} / {OutputPerMillionUsd} USD per million input / output tokens")]
    public static partial void PriceSet(ILogger logger, string model, decimal inputPerMillionUsd, decimal outputPerMillionUsd);

    [LoggerMessage(EventId = LogEvents.PriceDeleted, Level = LogLevel.Information, Message = "Deleted the price of model {Model}")]
    public static partial void PriceDeleted(ILogger logger, string model);

    [LoggerMessage(EventId = LogEvents.PricesWritten, Level = LogLevel.Debug, Message = "Wrote {Count} model price(s), version {Version}, to Redis")]
    public static partial void PricesWritten(ILogger logger, int count, long version);

    [LoggerMessage(EventId = LogEvents.PricesDeferred, Level = LogLevel.Warning,
        Message = "Could not write model prices to Redis; the change is saved and they will be written in the background: {Reason}")]
    public static partial void PricesDeferred(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEvents.PricesResyncFailed, Level = LogLevel.Warning, Message = "Could not write model prices to Redis, retrying in {Delay}: {Reason}")]
    public static partial void PricesResyncFailed(ILogger logger, TimeSpan delay, string reason);
}
