using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AiPlatform.ServiceDefaults.Telemetry;

/// <summary>The tracer and meter providers of the process, disposed (and so flushed) with the container.</summary>
internal sealed class TelemetryProviders(TracerProvider tracing, MeterProvider metrics) : IDisposable
{
    public void Dispose()
    {
        tracing.Dispose();
        metrics.Dispose();
    }
}

/// <summary>Creates the providers when the host starts, so that they listen before the first request arrives.</summary>
internal sealed class TelemetryProvidersLifetime(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<TelemetryProviders>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
