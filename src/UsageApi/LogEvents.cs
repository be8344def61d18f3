namespace AiPlatform.UsageApi;

/// <summary>Event ids of UsageApi's logs, in one registry so that they stay unique and searchable.</summary>
internal static class LogEvents
{
    // Data/
    public const int MigrationApplied = 1001;
    public const int MigrationsUpToDate = 1002;
    public const int MigrationWaitingForDatabase = 1003;
    public const int LegacySchemaTakenOver = 1004;

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

    // Admin/: 3000 and 3010-3013 are ServiceDefaults' AdminAuthFilter's (rejected, blocked, forbidden admin requests).

    // AdminTokens/
    public const int AdminTokenCreated = 3100;
    public const int AdminTokenRevoked = 3101;

    // Ledger/
    public const int UsageBatchIngested = 4000;
    public const int UsageBatchRejected = 4001;
    public const int UsagePartitionReady = 4002;
    public const int UsagePartitionMaintenanceFailed = 4003;
    public const int UsagePayloadsPurged = 4004;
    public const int UsagePayloadPurgeFailed = 4005;

    // Prices/
    public const int PriceSet = 5000;
    public const int PriceDeleted = 5001;
    public const int PricesWritten = 5100;
    public const int PricesDeferred = 5101;
    public const int PricesResyncFailed = 5102;

    // Budgets/
    public const int SpendCounterRaised = 6000;
    public const int SpendReconciled = 6001;
    public const int SpendReconcileFailed = 6002;
}
