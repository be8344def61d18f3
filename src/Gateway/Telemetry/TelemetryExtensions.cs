namespace AiPlatform.Gateway.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The GenAI metrics; the spans come from <see cref="TelemetryPolicy"/> in the inference pipeline.</summary>
    public static IHostApplicationBuilder AddGenAiTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GenAiMetrics>();
        return builder;
    }
}
