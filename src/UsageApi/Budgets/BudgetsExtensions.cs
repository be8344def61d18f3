namespace AiPlatform.UsageApi.Budgets;

public static class BudgetsExtensions
{
    /// <summary>
    /// Budgets: the spend counters Gateways keep in Redis, reconciled from the ledger in the background. Needs the
    /// usage database (<c>AddUsageDb</c>) and an <c>IConnectionMultiplexer</c> registered.
    /// </summary>
    public static IHostApplicationBuilder AddBudgets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BudgetsOptions>()
            .BindConfiguration(BudgetsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SpendStore>();
        builder.Services.AddSingleton<SpendCounters>();
        builder.Services.AddSingleton<BudgetReconciler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BudgetReconciler>());
        return builder;
    }
}
