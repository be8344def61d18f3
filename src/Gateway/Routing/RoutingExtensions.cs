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
        builder.Services.AddHostedService<ModelCatalogRefresher>();
        return builder;
    }
}
