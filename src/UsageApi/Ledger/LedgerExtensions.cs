namespace AiPlatform.UsageApi.Ledger;

public static class LedgerExtensions
{
    /// <summary>
    /// The usage ledger: ingestion into the partitioned <c>usage_records</c> table and <c>usage_payloads</c>, its metrics,
    /// and the upkeep of both (partitions ahead, payload retention). Needs an <c>NpgsqlDataSource</c>.
    /// </summary>
    public static IHostApplicationBuilder AddLedger(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PayloadsOptions>()
            .BindConfiguration(PayloadsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<LedgerMetrics>();
        builder.Services.AddSingleton<LedgerPartitions>();
        builder.Services.AddSingleton<UsageLedger>();
        builder.Services.AddHostedService<LedgerMaintenance>();
        builder.Services.AddSingleton<PayloadRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PayloadRetention>());
        return builder;
    }
}
