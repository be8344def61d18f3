namespace AiPlatform.InferenceWorker.Metrics;

public static class MetricsExtensions
{
    public static TBuilder AddWorkerMetrics<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<WorkerMetrics>();
        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus text format. Like vLLM's, it is unauthenticated: it carries load figures only,
    /// and the worker sits behind the Gateway.
    /// </summary>
    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", static (WorkerMetrics metrics) => TypedResults.Text(PrometheusText.Render(metrics), PrometheusText.ContentType))
            .WithName("GetMetrics");
        return app;
    }
}
