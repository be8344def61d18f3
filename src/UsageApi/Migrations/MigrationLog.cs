namespace AiPlatform.UsageApi.Migrations;

internal static partial class MigrationLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied migration {Version} ({Name})")]
    public static partial void Applied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Usage database is up to date: {Applied} migration(s) applied now, {Total} known")]
    public static partial void UpToDate(ILogger logger, int applied, int total);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Usage database not reachable yet, retrying in {Delay}: {Reason}")]
    public static partial void WaitingForDatabase(ILogger logger, TimeSpan delay, string reason);
}
