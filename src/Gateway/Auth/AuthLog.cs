namespace AiPlatform.Gateway.Auth;

/// <summary>Authentication's log events. Keys are never logged, not even in part.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Key lookup in Redis failed, asking UsageApi: {Reason}")]
    public static partial void RedisLookupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Key lookup in UsageApi failed; requests with unseen keys get 503: {Reason}")]
    public static partial void UsageApiLookupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Subscribing to key invalidations failed: {Reason}")]
    public static partial void SubscribeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Client {ClientIp} exceeded the failed-authentication limit; refused for {RetryAfter}")]
    public static partial void ClientIpBlocked(ILogger logger, string clientIp, TimeSpan retryAfter);
}
