using Microsoft.Extensions.Logging;

namespace AiPlatform.ServiceDefaults.Admin;

internal static partial class AdminLog
{
    // 3000 is the id this event has had in UsageApi since its admin API began (its LogEvents keeps it reserved), so that
    // searches and alerts on it still match; the Gateway's Auth events are 3001-3004, beside it.
    // Never the presented credentials: a near-miss of the master key is as secret as the key.
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Rejected admin request {Method} {Path} from {Address}: {Reason}")]
    public static partial void Rejected(ILogger logger, string method, string path, string address, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning,
        Message = "Admin authentication from {Address} blocked: more than {Limit} failures in {Window}; answering 429 for {Remaining}")]
    public static partial void AddressBlocked(ILogger logger, string address, int limit, TimeSpan window, TimeSpan remaining);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "A failed admin authentication was not counted: Redis answered {Error}")]
    public static partial void FailureNotCounted(ILogger logger, string error);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information,
        Message = "Admin request {Method} {Path} by {Kind} {Name} refused: needs one of {Required}")]
    public static partial void Forbidden(ILogger logger, string method, string path, string kind, string name, string required);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "Admin tokens cannot be checked: {Reason}")]
    public static partial void TokensUnavailable(ILogger logger, string reason);
}
