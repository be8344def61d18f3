namespace AiPlatform.Gateway.Routing;

/// <summary>Routing's log events.</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Model catalog reloaded: {Models} models")]
    public static partial void CatalogReloaded(ILogger logger, int models);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error, Message = "Model catalog could not be reloaded; routing stays as it was")]
    public static partial void CatalogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Error, Message = "The changed model configuration is refused; the last good one stays in use: {Errors}")]
    public static partial void ConfigurationRefused(ILogger logger, string errors);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Information, Message = "Announced workers changed: {Workers} live")]
    public static partial void WorkersChanged(ILogger logger, int workers);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Announced workers cannot be read from Redis ({Reason}); the last list known stays in use")]
    public static partial void WorkerDirectoryUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Information, Message = "Announced workers can be read from Redis again")]
    public static partial void WorkerDirectoryBack(ILogger logger);
}
