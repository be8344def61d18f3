namespace AiPlatform.UsageApi.Ledger;

public static class LedgerExtensions
{
    /// <summary>The usage ledger: ingestion into the partitioned <c>usage_records</c> table and its metrics. Needs an <c>NpgsqlDataSource</c>.</summary>
    public static IHostApplicationBuilder AddLedger(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<LedgerMetrics>();
        builder.Services.AddSingleton<LedgerPartitions>();
        builder.Services.AddSingleton<UsageLedger>();
        builder.Services.AddHostedService<LedgerMaintenance>();
        return builder;
    }
}
