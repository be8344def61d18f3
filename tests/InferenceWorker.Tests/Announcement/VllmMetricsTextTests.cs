using AiPlatform.InferenceWorker.Announcement;

namespace AiPlatform.InferenceWorker.Tests.Announcement;

public sealed class VllmMetricsTextTests
{
    [Fact]
    public void TryParse_GaugesPerEngine_SumsRequestsAndTakesTheFullestKvCache()
    {
        const string text = """
            # HELP vllm:num_requests_running Number of requests in model execution batches.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="m"} 3.0
            vllm:num_requests_running{engine="1",model_name="m"} 2.0
            # TYPE vllm:num_requests_waiting gauge
            vllm:num_requests_waiting{engine="0",model_name="m"} 4.0
            vllm:num_requests_waiting{engine="1",model_name="m"} 1.0
            vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.75
            vllm:kv_cache_usage_perc{engine="1",model_name="m"} 0.5
            vllm:num_requests_running_total{model_name="m"} 99
            """;

        Assert.True(VllmMetricsText.TryParse(text, out var load));

        Assert.Equal(new VllmLoad(5, 5, 0.75), load);
    }

    [Fact]
    public void TryParse_OnlyGpuCacheUsage_FallsBackToIt()
    {
        const string text = "vllm:num_requests_running 1\nvllm:gpu_cache_usage_perc{model_name=\"m\"} 0.4\n";

        Assert.True(VllmMetricsText.TryParse(text, out var load));

        Assert.Equal(new VllmLoad(1, 0, 0.4), load);
    }

    [Fact]
    public void TryParse_BothCacheGauges_PrefersKvCacheUsage()
    {
        const string text = "vllm:num_requests_waiting 2\nvllm:gpu_cache_usage_perc 0.9\nvllm:kv_cache_usage_perc 0.1\n";

        Assert.True(VllmMetricsText.TryParse(text, out var load));

        Assert.Equal(new VllmLoad(0, 2, 0.1), load);
    }

    [Fact]
    public void TryParse_LabelValuesWithBracesQuotesAndSpaces_TimestampsAndCrLf_ReadsTheValues()
    {
        const string text = "vllm:num_requests_running{model_name=\"a } \\\"b\\\" {c\"} 6.0 1700000000000\r\n"
            + "vllm:num_requests_waiting{model_name=\"x\"}\t2e0\r\n";

        Assert.True(VllmMetricsText.TryParse(text, out var load));

        Assert.Equal(new VllmLoad(6, 2, null), load);
    }

    [Fact]
    public void TryParse_NonFiniteOrOutOfRangeValues_AreIgnoredOrClamped()
    {
        const string text = "vllm:num_requests_running NaN\nvllm:num_requests_running 2\nvllm:num_requests_waiting +Inf\nvllm:kv_cache_usage_perc 1.5\n";

        Assert.True(VllmMetricsText.TryParse(text, out var load));

        Assert.Equal(new VllmLoad(2, 0, 1.0), load);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only comments\n")]
    [InlineData("process_cpu_seconds_total 12.5\nllamacpp:requests_processing 1\n")]
    [InlineData("vllm:num_requests_running{model_name=\"unterminated 3\n")]
    [InlineData("vllm:num_requests_running three\n<html>not metrics</html>")]
    public void TryParse_NoVllmRequestGauge_ReturnsFalse(string text)
    {
        Assert.False(VllmMetricsText.TryParse(text, out _));
    }
}
