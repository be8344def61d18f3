namespace AiPlatform.Gateway.RateLimiting;

internal static partial class RateLimitLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Redis unreachable for rate limits; mode {Mode} until it is back: {Reason}")]
    public static partial void RedisUnavailable(ILogger logger, RedisOutageMode mode, string reason);
}
