namespace AiPlatform.UsageApi.Budgets;

internal static partial class BudgetsLog
{
    [LoggerMessage(EventId = LogEvents.SpendCounterRaised, Level = LogLevel.Information,
        Message = "Raised the spend counter of API key {KeyId} for period {Period} from {BeforeUsd} to the ledger's {LedgerUsd} USD")]
    public static partial void CounterRaised(ILogger logger, Guid keyId, string period, decimal beforeUsd, decimal ledgerUsd);

    [LoggerMessage(EventId = LogEvents.SpendReconciled, Level = LogLevel.Debug, Message = "Reconciled the spend counters of {Keys} budgeted key(s); {Raised} raised")]
    public static partial void Reconciled(ILogger logger, int keys, int raised);

    [LoggerMessage(EventId = LogEvents.SpendReconcileFailed, Level = LogLevel.Warning, Message = "Could not reconcile spend counters, retrying in {Interval}: {Reason}")]
    public static partial void ReconcileFailed(ILogger logger, TimeSpan interval, string reason);
}
