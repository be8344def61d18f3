namespace AiPlatform.UsageApi.Migrations;

internal static partial class MigrationLog
{
    [LoggerMessage(EventId = LogEvents.MigrationApplied, Level = LogLevel.Information, Message = "Applied migration {Version} ({Name})")]
    public static partial void Applied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = LogEvents.MigrationsUpToDate, Level = LogLevel.Information, Message = "Usage database is up to date: {Applied} migration(s) applied now, {Total} known")]
    public static partial void UpToDate(ILogger logger, int applied, int total);

    [LoggerMessage(EventId = LogEvents.MigrationWaitingForDatabase, Level = LogLevel.Warning, Message = "Usage database not reachable yet, retrying in {Delay}: {Reason}")]
    public static partial void WaitingForDatabase(ILogger logger, TimeSpan delay, string reason);
}
