using System.Text.Json;
using System.Threading.Channels;
using AiPlatform.Gateway.Forwarding;
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
    private readonly Channel<UsageEvent> _queue = Channel.CreateBounded<UsageEvent>(new BoundedChannelOptions(options.Value.ChannelCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public ChannelReader<UsageEvent> Queue => _queue.Reader;

    public void Complete() => _queue.Writer.TryComplete();

    public async Task RecordAsync(GatewayRequestFeature feature, string? clientIp, JsonElement? metadata, int promptEstimate)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var usageEvent = Build(feature, clientIp, metadata, promptEstimate);
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

    private UsageEvent Build(GatewayRequestFeature feature, string? clientIp, JsonElement? metadata, int promptEstimate)
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
            ErrorCode = ErrorCodeOf(feature),
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
        };
    }

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

    private static string? ErrorCodeOf(GatewayRequestFeature feature) => feature.Error switch
    {
        ForwarderError.None => null,
        ForwarderError.UpstreamUnreachable => "upstream_unreachable",
        ForwarderError.UpstreamTimeout => "upstream_timeout",
        ForwarderError.UpstreamRequestFailed => "upstream_error",
        ForwarderError.UpstreamResponseBody => "upstream_stream_error",
        ForwarderError.ClientDisconnected => "client_disconnected",
        ForwarderError.UpstreamErrorStatus => $"upstream_{feature.StatusCode}",
        ForwarderError.NoTargetAvailable => "no_available_target",
        _ => feature.Error.ToString(),
    };
}
