namespace AiPlatform.Gateway.Forwarding;

/// <summary>Forwarding's log events. Keys, prompts and answers are never logged.</summary>
internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Target {Target} unreachable: {Reason}")]
    public static partial void UpstreamUnreachable(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Target {Target} did not answer within {Timeout}")]
    public static partial void UpstreamTimeout(ILogger logger, string target, TimeSpan timeout);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Target {Target} failed before answering: {Reason}")]
    public static partial void UpstreamFailed(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Target {Target} failed while its answer was relayed: {Reason}")]
    public static partial void UpstreamFailedMidBody(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Target {Target} answered with status {Status}")]
    public static partial void UpstreamErrorStatus(ILogger logger, string target, int status);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Client left while {Target} was answering ({Reason}); upstream request cancelled")]
    public static partial void ClientLeft(ILogger logger, string target, string reason);
}
