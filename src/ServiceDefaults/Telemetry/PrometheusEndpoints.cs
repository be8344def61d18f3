using AiPlatform.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// The service's OpenTelemetry metrics (the ones OTLP exports) as Prometheus text, for a Prometheus that scrapes instead
/// of receiving: OpenTelemetry's own exporter (<c>OpenTelemetry.Exporter.Prometheus.AspNetCore</c>), registered with
/// the other defaults.
/// </summary>
public static class PrometheusEndpoints
{
    public const string Path = "/metrics";

    /// <summary>
    /// <c>GET /metrics</c> for an admin credential with <c>analytics:read</c> (Prometheus sends it with
    /// <c>authorization: { credentials: … }</c>), refused like any admin endpoint otherwise: the figures name models,
    /// targets and traffic, and the Gateway's port is public.
    /// </summary>
    public static IEndpointConventionBuilder MapAdminPrometheusMetrics(this IEndpointRouteBuilder endpoints)
    {
        var required = new AdminScopeRequirement(AdminScopes.AnalyticsRead);
        // Per scrape: the filter's token resolver may be scoped to a request (UsageApi's reads the database).
        return endpoints.MapGuardedPrometheusMetrics(async context =>
            await ActivatorUtilities.CreateInstance<AdminAuthFilter>(context.RequestServices).AuthorizeAsync(context, required));
    }

    /// <summary><c>GET /metrics</c> behind <paramref name="refusalOf"/>: the answer to write instead, or null to serve the metrics.</summary>
    public static IEndpointConventionBuilder MapGuardedPrometheusMetrics(this IEndpointRouteBuilder endpoints, Func<HttpContext, Task<IResult?>> refusalOf) =>
        endpoints.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (await refusalOf(context) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }

            await next(context);
        }), optionsName: null);

    /// <summary>Prometheus text at <paramref name="path"/> for anyone who reaches the port (a worker behind the Gateway).</summary>
    public static IEndpointConventionBuilder MapOpenPrometheusMetrics(this IEndpointRouteBuilder endpoints, string path) =>
        endpoints.MapPrometheusScrapingEndpoint(path);
}
