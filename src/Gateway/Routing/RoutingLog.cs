namespace AiPlatform.Gateway.Routing;

/// <summary>Routing's log events.</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Model catalog reloaded after a change in service discovery")]
    public static partial void CatalogReloaded(ILogger logger);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error, Message = "Model catalog could not be reloaded; routing stays as it was")]
    public static partial void CatalogReloadFailed(ILogger logger, Exception exception);
}
