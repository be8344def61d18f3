namespace AiPlatform.UsageApi.Analytics;

public static class AnalyticsExtensions
{
    /// <summary>The analytics queries over the ledger. Needs an <c>NpgsqlDataSource</c>.</summary>
    public static IHostApplicationBuilder AddAnalytics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnalyticsOptions>()
            .BindConfiguration(AnalyticsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<UsageQueries>();
        return builder;
    }
}
