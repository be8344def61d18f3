namespace AiPlatform.Gateway.Budgets;

internal static partial class BudgetLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Spend counters unavailable; budgets not checked until Redis is back: {Reason}")]
    public static partial void SpendUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Model prices could not be refreshed: {Reason}")]
    public static partial void PricesUnavailable(ILogger logger, string reason);
}
