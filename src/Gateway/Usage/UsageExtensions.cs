using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Resilience;

namespace AiPlatform.Gateway.Usage;

public static class UsageExtensions
{
    public static IHostApplicationBuilder AddUsageEvents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UsageOptions>()
            .BindConfiguration(UsageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // No generic retries: a batch that fails is parked in Redis and replayed, which is the retry.
        builder.Services.AddHttpClient<UsageApiClient>(http =>
        {
            http.BaseAddress = new Uri(ServiceAddresses.UsageApi);
            http.Timeout = TimeSpan.FromSeconds(10);
        }).RemoveResilienceHandlers().AddMasterKeyAuthorization();
        builder.Services.AddSingleton<UsageMetrics>();
        builder.Services.AddSingleton<UsageParking>();
        builder.Services.AddSingleton<UsageDeadLetters>();
        builder.Services.AddSingleton<UsageRecorder>();
        builder.Services.AddHostedService<UsageShipper>();
        builder.Services.AddSingleton<UsageReplayer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<UsageReplayer>());
        return builder;
    }
}
