namespace AiPlatform.UsageApi.Admin;

internal static partial class AdminLog
{
    // Never the presented credentials: a near-miss of the master key is as secret as the key.
    [LoggerMessage(EventId = LogEvents.MasterKeyRejected, Level = LogLevel.Warning, Message = "Rejected admin request {Method} {Path}: {Reason}")]
    public static partial void MasterKeyRejected(ILogger logger, string method, string path, string reason);
}
