namespace AiPlatform.Dashboard.Health;

public static class PlatformHealthExtensions
{
    public static IHostApplicationBuilder AddPlatformHealth(this IHostApplicationBuilder builder)
    {
        // Probes must show the state as it is, each failure as it happens: the defaults' standard resilience handler
        // (retries, its timeouts) is taken off, and the page's own short timeout applies instead.
        // EXTEXP0001: RemoveAllResilienceHandlers is marked experimental; it is the library's way to do this.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(PlatformHealth.HttpClientName)
            .RemoveAllResilienceHandlers()
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<PlatformHealth>();
        return builder;
    }
}
