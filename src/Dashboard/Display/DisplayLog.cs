namespace AiPlatform.Dashboard.Display;

internal static partial class DisplayLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "The browser did not say its time zone ({Reason}); times are shown in UTC")]
    public static partial void TimeZoneUnknown(ILogger logger, string reason);
}
