using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiPlatform.ServiceDefaults.Health;

/// <summary>The health contract every service keeps: paths, check names and tags.</summary>
public static class HealthEndpoints
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string SelfCheckName = "self";
    public const string LiveTag = "live";

    /// <summary>True for requests to the probe paths, which are kept out of traces.</summary>
    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthPath, StringComparison.OrdinalIgnoreCase) ||
        path.StartsWithSegments(AlivePath, StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the overall status word and nothing else: check names and exceptions stay inside.</summary>
    public static Task WriteStatusOnlyAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(report.Status.ToString());
    }
}
