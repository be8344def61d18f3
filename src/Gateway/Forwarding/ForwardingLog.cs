namespace AiPlatform.Gateway.Forwarding;

/// <summary>Forwarding's log events. Keys, prompts and answers are never logged.</summary>
internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Target {Target} failed while its answer was relayed: {Reason}")]
    public static partial void UpstreamFailedMidBody(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Client left while {Target} was answering ({Reason}); upstream request cancelled")]
    public static partial void ClientLeft(ILogger logger, string target, string reason);
}
