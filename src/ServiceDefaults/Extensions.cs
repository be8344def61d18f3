using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every AiPlatform service shares: .NET Aspire's ServiceDefaults template (OpenTelemetry, health
/// endpoints, service discovery, standard resilience on outgoing HTTP), adapted where noted.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The platform's own activity sources and meters (<c>AiPlatform.Gateway</c>, <c>AiPlatform.UsageApi</c>, …).</summary>
    private const string PlatformTelemetryNames = "AiPlatform.*";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBasicServiceDefaults();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Resilience outermost, so that each retry resolves the service again and may reach another replica.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// Takes the standard resilience handler that <see cref="AddServiceDefaults"/> puts on every client off this one,
    /// for a client that must see each failure as it happens or retries in its own way (each caller says why).
    /// </summary>
    public static IHttpClientBuilder WithoutStandardResilience(this IHttpClientBuilder builder)
    {
        // EXTEXP0001: RemoveAllResilienceHandlers is marked experimental; it is the library's way to do this.
#pragma warning disable EXTEXP0001
        return builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }

    /// <summary>
    /// Telemetry and health only, for a service whose outgoing HTTP must not get the defaults
    /// (an inference engine forwarding long generations must not be retried or cut by a generic timeout).
    /// </summary>
    public static TBuilder AddBasicServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton(TimeProvider.System);
        // Kestrel reads its endpoints from configuration but not its limits: a service sets those in Kestrel:Limits.
        builder.Services.Configure<KestrelServerOptions>(kestrel => builder.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits));
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(PlatformTelemetryNames)
                // Serves nothing by itself: a service maps the scraping path (PrometheusEndpoints) where it is wanted.
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(PlatformTelemetryNames)
                // Orchestrators probe every few seconds; those spans would drown the traces people look for.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !HealthEndpoints.IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[KnownConfigNames.OtlpEndpoint]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck(HealthEndpoints.SelfCheckName, () => HealthCheckResult.Healthy(), [HealthEndpoints.LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check: the service and its dependencies) and <c>/alive</c> (the process runs).
    /// Unlike the template, both are mapped in every environment because orchestrators probe them; their answer is
    /// the status word only, so an anonymous caller learns nothing about the dependencies behind it.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Probes are anonymous even in a service that signs its users in (the Dashboard's fallback policy).
        app.MapHealthChecks(HealthEndpoints.HealthPath, new HealthCheckOptions
        {
            ResponseWriter = HealthEndpoints.WriteStatusOnlyAsync,
        }).AllowAnonymous();
        app.MapHealthChecks(HealthEndpoints.AlivePath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthEndpoints.LiveTag),
            ResponseWriter = HealthEndpoints.WriteStatusOnlyAsync,
        }).AllowAnonymous();
        return app;
    }
}
