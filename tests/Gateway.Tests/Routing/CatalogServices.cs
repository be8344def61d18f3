using AiPlatform.Gateway.Resilience;
using AiPlatform.Gateway.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.Gateway.Tests.Routing;

/// <summary>What a <see cref="ModelCatalog"/> needs, over the real service discovery reading <c>configuration</c>.</summary>
internal static class CatalogServices
{
    public static ServiceProvider Create(IConfigurationRoot configuration)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddServiceDiscovery()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ModelCatalog>();
        services.AddOptions<ResilienceOptions>();
        services.AddOptions<ModelRoutingOptions>().Bind(configuration.GetSection(ModelRoutingOptions.SectionName));
        return services.BuildServiceProvider();
    }
}
