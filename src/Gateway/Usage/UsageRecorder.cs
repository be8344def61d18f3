using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using AiPlatform.Gateway.Pipeline;
using AiPlatform.ServiceDefaults.Usage;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// Turns a finished request into a <see cref="UsageEvent"/> and queues it for <see cref="UsageShipper"/>.
/// Never blocks the request: when the queue is full the event goes to the Redis Stream directly, and only when
/// Redis refuses too is it dropped (counted and logged). Thread-safe.
/// </summary>
public sealed class UsageRecorder(
    UsageParking parking,
    UsageMetrics metrics,
    IOptions<UsageOptions> options,
    TimeProvider time,
    ILogger<UsageRecorder> logger)
{
    private static readonly SearchValues<char> s_lowerHex = SearchValues.Create("0123456789abcdef");

    private readonly Channel<UsageEvent> _queue = Channel.CreateBounded<UsageEvent>(new BoundedChannelOptions(options.Value.ChannelCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public ChannelReader<UsageEvent> Queue => _queue.Reader;

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>A capture of the answer when the key logs payloads (and the ledger is on); null, allocating nothing, otherwise.</summary>
    public PayloadCapture? CapturePayloadOf(InferenceContext context) =>
        context.Key.LogPayloads && options.Value.Enabled
            ? new PayloadCapture(context.Request.Operation, context.Request.Stream, options.Value.PayloadMaxChars)
            : null;

    public async Task RecordAsync(GatewayRequestFeature feature, string? clientIp, JsonElement? metadata, int promptEstimate, UsagePayload? payload)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var usageEvent = Build(feature, clientIp, metadata, promptEstimate, payload);
        metrics.Produced();
        if (_queue.Writer.TryWrite(usageEvent))
        {
            return;
        }

        if (!await parking.TryParkAsync([usageEvent]))
        {
            metrics.Dropped(1);
            UsageLog.EventDropped(logger, usageEvent.RequestId);
        }
    }

    private UsageEvent Build(GatewayRequestFeature feature, string? clientIp, JsonElement? metadata, int promptEstimate, UsagePayload? payload)
    {
        var usage = feature.Usage ?? EstimateDelivered(feature, promptEstimate);
        var elapsed = time.GetElapsedTime(feature.StartTimestamp);
        return new UsageEvent
        {
            RequestId = feature.RequestId,
            Timestamp = feature.StartedAt,
            KeyId = feature.KeyId,
            KeyName = feature.KeyName,
            RequestedModel = feature.RequestedModel,
            ServedModel = feature.ServedModel,
            Target = feature.Target,
            StatusCode = feature.StatusCode,
            ErrorCode = feature.ErrorCode(),
            Stream = feature.Stream,
            Cached = feature.Cached,
            PromptTokens = usage.PromptTokens,
            CompletionTokens = usage.CompletionTokens,
            TotalTokens = usage.TotalTokens,
            LatencyMs = (int)elapsed.TotalMilliseconds,
            TtfbMs = feature.TimeToFirstByte is { } ttfb ? (int)ttfb.TotalMilliseconds : null,
            Retries = Math.Max(feature.Attempts - 1, 0),
            ClientIp = options.Value.RecordClientIp ? clientIp : null,
            Metadata = metadata,
            TraceId = IsTraceId(feature.TraceId) ? feature.TraceId : null,
            Payload = payload,
            Path = feature.Path,
            RequestBytes = feature.RequestBytes,
            ResponseBytes = feature.ResponseBytes,
        };
    }

    /// <summary>
    /// What UsageApi takes as a trace id: 32 lowercase hex digits, not all zero. The activity's id always is one, but it
    /// may come from a client's <c>traceparent</c>, and one bad value would get the whole batch refused.
    /// </summary>
    private static bool IsTraceId(string? value) =>
        value is { Length: 32 } && !value.AsSpan().ContainsAnyExcept(s_lowerHex) && value.AsSpan().ContainsAnyExcept('0');

    /// <summary>
    /// A stream cut before its usage chunk still cost something: the prompt as estimated at admission, and one
    /// completion token per content event delivered (the simulator and vLLM send one token per event).
    /// </summary>
    private static TokenUsage EstimateDelivered(GatewayRequestFeature feature, int promptEstimate)
    {
        if (feature.DeliveredEvents == 0)
        {
            return default;
        }

        return new TokenUsage(promptEstimate, feature.DeliveredEvents, promptEstimate + feature.DeliveredEvents);
    }
}
