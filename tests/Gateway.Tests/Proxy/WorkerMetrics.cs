using System.Globalization;
using System.Text.RegularExpressions;

namespace AiPlatform.Gateway.Tests.Proxy;

/// <summary>The worker's load figures as its <c>/metrics</c> page reports them (vLLM's metric names).</summary>
internal sealed partial record WorkerMetrics(double Running, double Waiting, double GenerationTokens)
{
    public static async Task<WorkerMetrics> ReadAsync(HttpClient worker)
    {
        var text = await worker.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return new WorkerMetrics(Sum(text, "vllm:num_requests_running"), Sum(text, "vllm:num_requests_waiting"), Sum(text, "vllm:generation_tokens_total"));
    }

    private static double Sum(string text, string metric) =>
        SampleLine().Matches(text)
            .Where(m => m.Groups["name"].Value == metric)
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(?<value>[-+0-9.eE]+|NaN)\s*$", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
