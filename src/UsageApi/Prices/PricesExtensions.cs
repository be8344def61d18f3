namespace AiPlatform.UsageApi.Prices;

public static class PricesExtensions
{
    /// <summary>
    /// Model prices: the table (Postgres), its copy in Redis for the Gateways, and the sync that keeps the copy right.
    /// Needs the usage database (<c>AddUsageDb</c>) and an <c>IConnectionMultiplexer</c> registered.
    /// </summary>
    public static IHostApplicationBuilder AddPrices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PricesOptions>()
            .BindConfiguration(PricesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PriceStore>();
        builder.Services.AddSingleton<PriceRedisWriter>();
        builder.Services.AddSingleton<PriceSync>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PriceSync>());
        return builder;
    }
}
