namespace AiPlatform.Gateway.Resilience;

/// <summary>Retries, fallbacks and ejections, per target. Keys, prompts and answers are never logged.</summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Attempt {Attempt} goes to {Target} after the last one failed ({Reason})")]
    public static partial void Retrying(ILogger logger, string target, int attempt, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Target {Target} ejected for {Ejection} ({Reason})")]
    public static partial void Ejected(ILogger logger, string target, TimeSpan ejection, string reason);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Target {Target} answered its half-open probe and is back in rotation")]
    public static partial void Readmitted(ILogger logger, string target);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Warning, Message = "Request for {Model} failed after {Attempts} attempts (last: {Reason})")]
    public static partial void GaveUp(ILogger logger, string model, int attempts, string reason);
}
