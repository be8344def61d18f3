using AiPlatform.ServiceDefaults.Resilience;

namespace AiPlatform.Dashboard.Health;

public static class PlatformHealthExtensions
{
    public static IHostApplicationBuilder AddPlatformHealth(this IHostApplicationBuilder builder)
    {
        // Probes must show the state as it is: no retries, and the page's own short timeout instead of the defaults'.
        builder.Services.AddHttpClient(PlatformHealth.HttpClientName)
            .RemoveResilienceHandlers()
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddSingleton<PlatformHealth>();
        return builder;
    }
}
