namespace AiPlatform.Dashboard.Health;

public static class PlatformHealthExtensions
{
    public static IHostApplicationBuilder AddPlatformHealth(this IHostApplicationBuilder builder)
    {
        // Probes must show the state as it is, each failure as it happens: the defaults' standard resilience handler
        // (retries, its timeouts) is taken off, and the page's own short timeout applies instead.
        builder.Services.AddHttpClient(PlatformHealth.HttpClientName)
            .WithoutStandardResilience()
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddSingleton<PlatformHealth>();
        return builder;
    }
}
