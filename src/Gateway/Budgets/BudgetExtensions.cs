namespace AiPlatform.Gateway.Budgets;

public static class BudgetExtensions
{
    public static IHostApplicationBuilder AddBudgets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PriceBook>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PriceBook>());
        builder.Services.AddSingleton<BudgetGuard>();
        return builder;
    }
}
