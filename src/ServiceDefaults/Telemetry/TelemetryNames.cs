namespace AiPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// The activity sources and meters collected by every service: the framework's own by name (the
/// instrumentation packages are not available) and the platform's, which all start with <c>AiPlatform.</c>.
/// </summary>
public static class TelemetryNames
{
    public const string PlatformPrefix = "AiPlatform.";

    public static readonly string[] ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        PlatformPrefix + "*",
    ];

    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Net.Http",
        "System.Runtime",
        PlatformPrefix + "*",
    ];
}
