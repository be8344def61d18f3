namespace AiPlatform.UsageApi.Data;

internal static partial class MigrationLog
{
    [LoggerMessage(EventId = LogEvents.MigrationApplied, Level = LogLevel.Information, Message = "Applied migration {Migration}")]
    public static partial void Applied(ILogger logger, string migration);

    [LoggerMessage(EventId = LogEvents.MigrationsUpToDate, Level = LogLevel.Information, Message = "Usage database is up to date: {Applied} migration(s) applied now, {Total} known")]
    public static partial void UpToDate(ILogger logger, int applied, int total);

    [LoggerMessage(EventId = LogEvents.MigrationWaitingForDatabase, Level = LogLevel.Warning, Message = "Usage database not reachable yet, retrying in {Delay}: {Reason}")]
    public static partial void WaitingForDatabase(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(EventId = LogEvents.LegacySchemaTakenOver, Level = LogLevel.Information,
        Message = "Took over a usage database made by the SQL migrations (version {LegacyVersion}): recorded {Migration} as applied; no data changed")]
    public static partial void LegacySchemaTakenOver(ILogger logger, int legacyVersion, string migration);
}
