using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AiPlatform.Gateway.Telemetry;

/// <summary>
/// The GenAI conventions' metrics as a client of the model sees them (tokens, duration, time to first token, with the
/// conventions' bucket boundaries), and the Gateway's own: cache lookups and the time the Gateway adds.
/// </summary>
public sealed class GenAiMetrics
{
    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _overhead;
    private readonly Counter<long> _cacheLookups;

    public GenAiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GatewayMeter.Name);
        _tokens = meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Tokens used, by gen_ai.token.type (input or output).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });
        _duration = meter.CreateHistogram("gen_ai.client.operation.duration", "s", "Time from the request's arrival to the end of its answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
        _timeToFirstToken = meter.CreateHistogram("gen_ai.server.time_to_first_token", "s", "Time from the request's arrival to the first byte of a streamed answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0] });
        _overhead = meter.CreateHistogram("aiplatform.gateway.overhead", "s",
            "The Gateway's own time in a request that went upstream: its whole time minus the attempts' (a retry's backoff counts as the Gateway's).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25] });
        _cacheLookups = meter.CreateCounter<long>("aiplatform.gateway.cache.requests", "{request}", "Requests by aig.cache.status (hit, miss, bypass).");
    }

    /// <summary>
    /// One operation's duration, time to first token (a streamed success) and tokens (when the answer reported them),
    /// under <paramref name="tags"/>: gen_ai.operation.name, gen_ai.provider.name, the models, server.address,
    /// error.type, aig.cache.status.
    /// </summary>
    public void Record(in TagList tags, double seconds, double? timeToFirstToken, int? inputTokens, int? outputTokens)
    {
        _duration.Record(seconds, tags);
        if (timeToFirstToken is { } ttft)
        {
            _timeToFirstToken.Record(ttft, tags);
        }

        if (inputTokens is { } input)
        {
            var inputTags = tags;
            inputTags.Add(GenAiAttributes.TokenType, "input");
            _tokens.Record(input, inputTags);
        }

        if (outputTokens is { } output)
        {
            var outputTags = tags;
            outputTags.Add(GenAiAttributes.TokenType, "output");
            _tokens.Record(output, outputTags);
        }
    }

    public void Overhead(double seconds, string operationName) =>
        _overhead.Record(seconds, new KeyValuePair<string, object?>(GenAiAttributes.OperationName, operationName));

    public void CacheLookup(string status, string requestModel) =>
        _cacheLookups.Add(1, new KeyValuePair<string, object?>(GenAiAttributes.CacheStatus, status),
            new KeyValuePair<string, object?>(GenAiAttributes.RequestModel, requestModel));
}
