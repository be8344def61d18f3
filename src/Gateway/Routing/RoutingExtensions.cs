using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Routing;

public static class RoutingExtensions
{
    public static IHostApplicationBuilder AddModelRouting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ModelRoutingOptions>()
            .BindConfiguration(ModelRoutingOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ModelRoutingOptions>, ModelRoutingOptionsValidator>();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddHostedService<ModelCatalogLoader>();
        return builder;
    }

    /// <summary>Loads the catalog at start, so that a model routed to an unconfigured service stops the Gateway
    /// with a message instead of failing its first request.</summary>
    private sealed class ModelCatalogLoader(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<ModelCatalog>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
