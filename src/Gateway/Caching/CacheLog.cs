namespace AiPlatform.Gateway.Caching;

internal static partial class CacheLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Response cache unavailable, bypassing it: {Reason}")]
    public static partial void Unavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Ignoring cache entry {Key}: not in this Gateway's format")]
    public static partial void ForeignEntry(ILogger logger, string key);
}
