namespace AiPlatform.UsageApi;

/// <summary>Event ids of UsageApi's logs, in one registry so that they stay unique and searchable.</summary>
internal static class LogEvents
{
    // Migrations/
    public const int MigrationApplied = 1001;
    public const int MigrationsUpToDate = 1002;
    public const int MigrationWaitingForDatabase = 1003;

    // Keys/
    public const int KeyCreated = 2000;
    public const int KeyUpdated = 2001;
    public const int KeyRevoked = 2002;
    public const int KeyRecordDeferred = 2100;
    public const int KeyRecordsResynced = 2101;
    public const int KeyRecordsResyncFailed = 2102;
    public const int DeferredKeyRecordsWritten = 2103;
    public const int DeferredKeyRecordsFailed = 2104;
    public const int StaleKeyRecordSkipped = 2105;
    public const int KeyRecordQueueFull = 2106;
    public const int RedisConnectionRestored = 2107;

    // Admin/
    public const int MasterKeyRejected = 3000;
}
