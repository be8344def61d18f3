using System.Globalization;
using System.Text;
using AiPlatform.InferenceWorker.Api;

namespace AiPlatform.InferenceWorker.Metrics;

/// <summary>
/// Renders <see cref="WorkerMetrics"/> in Prometheus' text exposition format 0.0.4 with vLLM's metric names and help
/// texts, so that anything that reads a vLLM server's load (our router, a Prometheus scrape, KEDA) reads ours too.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(WorkerMetrics metrics)
    {
        var model = $"model_name=\"{EscapeLabel(metrics.ModelName)}\"";
        var text = new StringBuilder(1024);

        Family(text, "vllm:num_requests_running", "gauge", "Number of requests in model execution batches.");
        Sample(text, "vllm:num_requests_running", model, metrics.Running);

        Family(text, "vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.");
        Sample(text, "vllm:num_requests_waiting", model, metrics.Waiting);

        Family(text, "vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.");
        Sample(text, "vllm:prompt_tokens_total", model, metrics.PromptTokens);

        Family(text, "vllm:generation_tokens_total", "counter", "Number of generation tokens processed.");
        Sample(text, "vllm:generation_tokens_total", model, metrics.GenerationTokens);

        Family(text, "vllm:request_success_total", "counter", "Count of successfully processed requests.");
        Sample(text, "vllm:request_success_total", $"finished_reason=\"stop\",{model}", metrics.Succeeded(FinishReason.Stop));
        Sample(text, "vllm:request_success_total", $"finished_reason=\"length\",{model}", metrics.Succeeded(FinishReason.Length));

        Family(text, "vllm:time_to_first_token_seconds", "histogram", "Histogram of time to first token in seconds.");
        var (cumulative, count, sum) = metrics.TimeToFirstToken();
        for (var i = 0; i < cumulative.Length; i++)
        {
            Sample(text, "vllm:time_to_first_token_seconds_bucket",
                $"le=\"{WorkerMetrics.TimeToFirstTokenBuckets[i].ToString(CultureInfo.InvariantCulture)}\",{model}", cumulative[i]);
        }

        Sample(text, "vllm:time_to_first_token_seconds_bucket", $"le=\"+Inf\",{model}", count);
        text.Append("vllm:time_to_first_token_seconds_sum{").Append(model).Append("} ").Append(sum.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Sample(text, "vllm:time_to_first_token_seconds_count", model, count);

        Family(text, "aiplatform_worker_requests_rejected_total", "counter", "Requests refused with 503 because the admission queue was full.");
        Sample(text, "aiplatform_worker_requests_rejected_total", model, metrics.Rejected);

        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string labels, long value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
