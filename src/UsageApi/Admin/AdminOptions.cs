using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.UsageApi.Admin;

/// <summary>Settings of the admin API. The master key is read from the root key <see cref="KnownConfigNames.MasterKey"/>.</summary>
public sealed class AdminOptions
{
    /// <summary>The Bearer token every admin request must carry.</summary>
    public string MasterKey { get; set; } = "";

    internal static readonly string MissingMasterKeyMessage =
        $"{KnownConfigNames.MasterKey} is not set. UsageApi's admin API (/v1/keys) accepts only requests that carry it as " +
        $"'Authorization: Bearer <key>', so the service does not start without it. Set the environment variable " +
        $"{KnownConfigNames.MasterKey} to a long random secret. {MasterKeyRules.HowToGenerate}";
}
