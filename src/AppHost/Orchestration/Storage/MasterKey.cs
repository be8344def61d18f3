using AiPlatform.AppHost.Configuration;
using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.AppHost.Orchestration.Storage;

/// <summary>The admin key the services are given, and where it came from (to tell the user once).</summary>
internal sealed record MasterKey(string Value, string Description)
{
    private const string Prefix = "sk-aig-master-";
    private const int RandomLength = 40;

    /// <summary><c>AIPLATFORM_MASTER_KEY</c> when set; otherwise the one kept in the data folder, generated on first use.</summary>
    public static MasterKey Resolve(AppHostOptions options)
    {
        if (options.Variable(KnownConfigNames.MasterKey) is { } fromEnvironment)
        {
            return new MasterKey(fromEnvironment, $"Master key: from {KnownConfigNames.MasterKey}.");
        }

        var path = Path.Combine(options.DataDirectory, "master-key");
        var (value, created) = Secrets.ReadOrCreate(path, () => Prefix + Secrets.NewUrlSafe(RandomLength));
        return new MasterKey(value, created
            ? $"Master key (generated now, kept in {path}): {value}"
            : $"Master key (from {path}): {value}");
    }
}
