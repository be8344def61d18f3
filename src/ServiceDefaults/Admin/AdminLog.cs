using Microsoft.Extensions.Logging;

namespace AiPlatform.ServiceDefaults.Admin;

internal static partial class AdminLog
{
    // 3000 is the id this event has had in UsageApi since its admin API began (its LogEvents keeps it reserved), so that
    // searches and alerts on it still match; the Gateway's Auth events are 3001-3004, beside it.
    // Never the presented credentials: a near-miss of the master key is as secret as the key.
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Rejected admin request {Method} {Path}: {Reason}")]
    public static partial void MasterKeyRejected(ILogger logger, string method, string path, string reason);
}
