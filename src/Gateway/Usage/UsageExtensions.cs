using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Usage;

public static class UsageExtensions
{
    public static IHostApplicationBuilder AddUsageEvents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UsageOptions>()
            .BindConfiguration(UsageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The defaults' standard resilience handler is taken off: the shipper retries itself (a batch that fails is
        // parked in Redis and replayed), so a generic retry would only hold the shipper on a failing UsageApi.
        builder.Services.AddHttpClient<UsageApiClient>((services, http) =>
        {
            http.BaseAddress = new Uri(ServiceAddresses.UsageApi);
            http.Timeout = services.GetRequiredService<IOptions<UsageOptions>>().Value.SendTimeout;
        }).WithoutStandardResilience().AddMasterKeyAuthorization();
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
