using System.Diagnostics.Metrics;
using AiPlatform.InferenceWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.InferenceWorker.Tests.Metrics;

public sealed class MetricsTests
{
    private static readonly object s_chat = new
    {
        model = "sim",
        messages = new[] { new { role = "user", content = "Hi" } },
        max_tokens = 5,
    };

    [Fact]
    public async Task Metrics_AfterOneChat_PrometheusTextWithVllmNamesAndCounts()
    {
        using var host = WorkerHost.Simulator();
        using var client = host.CreateClient();
        (await Sse.PostAsync(client, "/v1/chat/completions", s_chat)).Dispose();

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("# TYPE vllm:num_requests_running gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE vllm:generation_tokens_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("vllm:num_requests_waiting{model_name=\"sim\"} 0\n", text, StringComparison.Ordinal);
        // "Hi" as the only message: 3 overhead + role 1 + content 1, and 3 for the reply.
        Assert.Equal(8, await host.MetricAsync("vllm:prompt_tokens_total"));
        Assert.Equal(5, await host.MetricAsync("vllm:generation_tokens_total"));
        Assert.Equal(1, await host.MetricAsync("vllm:request_success_total", "length"));
        Assert.Equal(0, await host.MetricAsync("vllm:request_success_total", "stop"));
        Assert.Equal(0, await host.MetricAsync("vllm:num_requests_running"));
        Assert.Equal(0, await host.MetricAsync("aiplatform_worker_requests_rejected_total"));
    }

    [Fact]
    public async Task OtelMetrics_AfterOneChat_PrometheusTextOfTheOpenTelemetryMeters()
    {
        using var host = WorkerHost.Simulator();
        using var client = host.CreateClient();
        (await Sse.PostAsync(client, "/v1/chat/completions", s_chat)).Dispose();

        using var response = await client.GetAsync(new Uri("/metrics/otel", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        // The worker's own meter beside ASP.NET Core's, under OpenTelemetry's Prometheus names (vLLM's stay on /metrics).
        Assert.Contains("# TYPE aiplatform_worker_generation_tokens_total counter", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vllm:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Meter_AfterOneChat_PublishesGeneratedTokensForOtlp()
    {
        using var host = WorkerHost.Simulator();
        using var client = host.CreateClient();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        long generated = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "AiPlatform.InferenceWorker" && instrument.Meter.Scope == factory)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "aiplatform.worker.generation_tokens")
            {
                Interlocked.Add(ref generated, value);
            }
        });
        listener.Start();

        (await Sse.PostAsync(client, "/v1/chat/completions", s_chat)).Dispose();

        Assert.Equal(5, Interlocked.Read(ref generated));
    }
}
