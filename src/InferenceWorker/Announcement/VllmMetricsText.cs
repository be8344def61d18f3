using System.Globalization;

namespace AiPlatform.InferenceWorker.Announcement;

/// <summary>A vLLM server's own load: what its scheduler runs and queues (all its clients, not only this worker).</summary>
internal readonly record struct VllmLoad(int Running, int Waiting, double? KvCacheUsage);

/// <summary>
/// Reads vLLM's load from its Prometheus text (exposition format 0.0.4): the request gauges summed over their label
/// sets (one per model or engine), and the KV-cache use from <c>vllm:kv_cache_usage_perc</c> or, on servers older
/// than its rename, <c>vllm:gpu_cache_usage_perc</c>.
/// </summary>
internal static class VllmMetricsText
{
    private const string Running = "vllm:num_requests_running";
    private const string Waiting = "vllm:num_requests_waiting";
    private const string KvCacheUsage = "vllm:kv_cache_usage_perc";
    private const string GpuCacheUsage = "vllm:gpu_cache_usage_perc";

    /// <summary>False when the text has neither request gauge: the upstream is not vLLM (llama.cpp, Ollama, …).</summary>
    public static bool TryParse(string text, out VllmLoad load)
    {
        double running = 0, waiting = 0;
        double? kvCache = null, gpuCache = null;
        var found = false;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            if (!TryReadSample(text.AsSpan()[range], out var name, out var value))
            {
                continue;
            }

            switch (name)
            {
                case Running:
                    running += value;
                    found = true;
                    break;
                case Waiting:
                    waiting += value;
                    found = true;
                    break;
                // A share per engine (data parallel): the fullest one is the one that queues, so the largest, not the sum.
                case KvCacheUsage:
                    kvCache = Math.Max(kvCache ?? 0, value);
                    break;
                case GpuCacheUsage:
                    gpuCache = Math.Max(gpuCache ?? 0, value);
                    break;
            }
        }

        load = new VllmLoad(ToCount(running), ToCount(waiting), (kvCache ?? gpuCache) is { } usage ? Math.Clamp(usage, 0, 1) : null);
        return found;
    }

    /// <summary>One sample line, <c>name{label="value",…} 1.0 [timestamp]</c>; false for comments, blanks, anything else.</summary>
    private static bool TryReadSample(ReadOnlySpan<char> line, out ReadOnlySpan<char> name, out double value)
    {
        name = default;
        value = 0;
        line = line.Trim();
        if (line.IsEmpty || line[0] == '#')
        {
            return false;
        }

        var nameEnd = line.IndexOfAny('{', ' ', '\t');
        if (nameEnd <= 0)
        {
            return false;
        }

        name = line[..nameEnd];
        var rest = line[nameEnd..];
        if (rest[0] == '{')
        {
            var labelsEnd = EndOfLabels(rest);
            if (labelsEnd < 0)
            {
                return false;
            }

            rest = rest[(labelsEnd + 1)..];
        }

        rest = rest.TrimStart();
        var valueEnd = rest.IndexOfAny(' ', '\t');
        var text = valueEnd < 0 ? rest : rest[..valueEnd];
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>The index of the '}' closing the label set that <paramref name="labels"/> starts with; label values may hold '}' and escaped quotes.</summary>
    private static int EndOfLabels(ReadOnlySpan<char> labels)
    {
        var quoted = false;
        for (var i = 1; i < labels.Length; i++)
        {
            switch (labels[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '}' when !quoted:
                    return i;
            }
        }

        return -1;
    }

    private static int ToCount(double value) => (int)Math.Clamp(Math.Round(value), 0, int.MaxValue);
}
