using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AiPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry with the core SDK only: the hosting and instrumentation packages do not restore here, so the
/// providers are built directly and ASP.NET Core's and HttpClient's own sources and meters are added by name.
/// Nothing is collected unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: without an exporter, sampling every
/// request would cost the hot path for nothing.
/// </summary>
public static class OpenTelemetryExtensions
{
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        if (string.IsNullOrWhiteSpace(builder.Configuration[KnownConfigNames.OtlpEndpoint]))
        {
            return builder;
        }

        var serviceName = builder.Configuration[KnownConfigNames.OtelServiceName] ?? builder.Environment.ApplicationName;
        void ConfigureResource(ResourceBuilder resource) => resource.AddService(serviceName).AddEnvironmentVariableDetector();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            var resource = ResourceBuilder.CreateDefault();
            ConfigureResource(resource);
            logging.SetResourceBuilder(resource);
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.AddOtlpExporter();
        });

        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder()
                .ConfigureResource(ConfigureResource)
                .SetSampler(new ProbeFilteringSampler(new ParentBasedSampler(new AlwaysOnSampler())))
                .AddSource(TelemetryNames.ActivitySources)
                .AddOtlpExporter()
                .Build();
            var metrics = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(ConfigureResource)
                .AddMeter(TelemetryNames.Meters)
                .AddOtlpExporter()
                .Build();
            return new TelemetryProviders(tracing, metrics);
        });
        // Resolving the providers at start makes them listen before the first request; disposing them at
        // shutdown flushes what is still batched.
        builder.Services.AddHostedService<TelemetryProvidersLifetime>();

        return builder;
    }
}
