using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Routing;

public static class RoutingExtensions
{
    /// <summary><c>Gateway:ModelsFile</c>: a JSON file holding the <c>Gateway</c> section's models, e.g. mounted from a config map.</summary>
    public const string ModelsFileKey = "Gateway:ModelsFile";

    public static IHostApplicationBuilder AddModelRouting(this IHostApplicationBuilder builder)
    {
        AddModelsFile(builder);
        builder.Services.AddOptions<ModelRoutingOptions>()
            .BindConfiguration(ModelRoutingOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ModelRoutingOptions>, ModelRoutingOptionsValidator>();
        builder.Services.AddOptions<WorkerDirectoryOptions>()
            .BindConfiguration(WorkerDirectoryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ModelCatalog>();
        // The directory before the refresher: hosted services start in order, and the first catalog needs the workers.
        builder.Services.AddSingleton<WorkerDirectory>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WorkerDirectory>());
        builder.Services.AddHostedService<ModelCatalogRefresher>();
        return builder;
    }

    /// <summary>
    /// Reads <c>models.json</c> (or the file <see cref="ModelsFileKey"/> names) beside the content root, when it exists,
    /// watched for changes unless the host watches no configuration file (<c>hostBuilder:reloadConfigOnChange=false</c>,
    /// as for appsettings.json). It goes before the environment variables, so that they still override it as they
    /// override appsettings.json.
    /// </summary>
    private static void AddModelsFile(IHostApplicationBuilder builder)
    {
        var path = Path.GetFullPath(builder.Configuration[ModelsFileKey] ?? "models.json", builder.Environment.ContentRootPath);
        var watch = builder.Configuration.GetValue("hostBuilder:reloadConfigOnChange", defaultValue: true);
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = watch };
        source.ResolveFileProvider();
        var sources = builder.Configuration.Sources;
        var firstEnvironment = sources.Select((s, i) => (Source: s, Index: i)).FirstOrDefault(s => s.Source is EnvironmentVariablesConfigurationSource);
        sources.Insert(firstEnvironment.Source is null ? sources.Count : firstEnvironment.Index, source);
    }
}
