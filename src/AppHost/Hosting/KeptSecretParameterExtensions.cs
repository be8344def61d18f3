using AiPlatform.AppHost.Hosting;

namespace Aspire.Hosting;

/// <summary>Secret parameters whose generated value is kept in the AppHost's data folder, so every run gets the same one.</summary>
public static class KeptSecretParameterExtensions
{
    private const int GeneratedLength = 40;

    /// <summary>
    /// A secret parameter whose value is, in order: <paramref name="environmentVariable"/> when set,
    /// <c>Parameters:{name}</c> (Aspire's configuration for parameters, e.g. user secrets), or the value kept in
    /// <paramref name="file"/>, generated there (mode 0600) on the first run. In publish mode only the parameter is
    /// written to the manifest: the deployment supplies its value.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddKeptSecret(
        this IDistributedApplicationBuilder builder, string name, string file, string prefix = "", string? environmentVariable = null)
    {
        var configurationKey = $"Parameters:{name}";
        if (builder.ExecutionContext.IsRunMode)
        {
            if (environmentVariable is not null && builder.Configuration[environmentVariable] is { Length: > 0 } fromEnvironment)
            {
                builder.Configuration[configurationKey] = fromEnvironment;
            }
            else if (builder.Configuration[configurationKey] is not { Length: > 0 })
            {
                builder.Configuration[configurationKey] = Secrets.ReadOrCreate(file, () => prefix + Secrets.NewUrlSafe(GeneratedLength)).Value;
            }
        }

        return builder.AddParameter(name, secret: true);
    }
}
