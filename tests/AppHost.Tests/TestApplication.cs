using AiPlatform.AppHost.Hosting;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiPlatform.AppHost.Tests;

/// <summary>The real app model (the AppHost's Program), built as Aspire's testing builder builds it, never started.</summary>
internal static class TestApplication
{
    /// <summary>A data folder of the tests' own, so building the model never writes into the repository's.</summary>
    public static readonly string DataDirectory = Directory.CreateTempSubdirectory("apphost-model-").FullName;

    public static PlatformOptions Options(params string[] args) =>
        PlatformOptions.From(new ConfigurationBuilder().AddCommandLine(args).Build(), "/repo/src/AppHost");

    public static async Task<IDistributedApplicationTestingBuilder> ModelAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--data-dir", DataDirectory, .. args]);

    public static T Resource<T>(this IDistributedApplicationTestingBuilder builder, string name) where T : IResource =>
        Assert.IsType<T>(builder.Resources.Single(r => r.Name == name), exactMatch: false);

    /// <summary>
    /// A resource's environment as the manifest would write it (<c>{cache.connectionString}</c>,
    /// <c>{inference-0.bindings.http.url}</c>): the wiring, without allocating a single port.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(this IDistributedApplicationTestingBuilder builder, string name) =>
        (await ConfigurationAsync(builder.Resource<IResource>(name))).EnvironmentVariables.ToDictionary();

    /// <summary>A resource's arguments as the orchestrator would pass them, placeholders for what only a run knows.</summary>
    public static async Task<IReadOnlyList<string>> ArgumentsAsync(this IDistributedApplicationTestingBuilder builder, string name) =>
        [.. (await ConfigurationAsync(builder.Resource<IResource>(name))).Arguments.Select(a => a.Value)];

    private static Task<IExecutionConfigurationResult> ConfigurationAsync(IResource resource) =>
        ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);
}
