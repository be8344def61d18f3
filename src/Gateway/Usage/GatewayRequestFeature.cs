using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Routing;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// What happened to one request on its way through the Gateway, kept on the <c>HttpContext</c> for the
/// policies that run after the answer (token limits, the ledger). Written by one request's flow only.
/// </summary>
public sealed class GatewayRequestFeature
{
    public required string RequestId { get; init; }

    /// <summary>When the Gateway received the request, as a <see cref="TimeProvider.GetTimestamp"/> value.</summary>
    public required long StartTimestamp { get; init; }

    /// <summary>When the Gateway received the request: the ledger record's time (stable across replays).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>
    /// The W3C trace id of the request's server span (the client's trace when it sent a <c>traceparent</c>), taken when
    /// the request arrives because the ledger record is made after the response; null without tracing.
    /// </summary>
    public string? TraceId { get; init; }

    public string? KeyId { get; set; }

    public string? KeyName { get; set; }

    public string? RequestedModel { get; set; }

    /// <summary>Answered from the response cache, without going upstream.</summary>
    public bool Cached { get; set; }

    public string? ServedModel { get; set; }

    /// <summary>The target that answered, as sent in <c>aig-target</c>.</summary>
    public string? Target { get; set; }

    /// <summary>The target whose answer the client got (telemetry's provider and <c>server.address</c>); null for a hit or an error of ours.</summary>
    public RouteTarget? AnsweringTarget { get; set; }

    public bool Stream { get; set; }

    public int StatusCode { get; set; }

    public ForwarderError Error { get; set; }

    /// <summary>Null when the upstream did not report usage (or the answer was cut before it did).</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>Time from the request's arrival to the first byte of the answer sent to the client.</summary>
    public TimeSpan? TimeToFirstByte { get; set; }

    /// <summary>Content events relayed to a streaming client; what was delivered when a stream is cut short.</summary>
    public int DeliveredEvents { get; set; }

    /// <summary>Attempts made (targets tried, retries and fallbacks together); 0 when the request never went upstream.</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// Time spent in attempts (from sending to the end of the upstream's answer), in <see cref="TimeProvider"/> timestamp
    /// ticks: the rest of the request's time is the Gateway's own.
    /// </summary>
    public long UpstreamTicks { get; set; }

    /// <summary>What went wrong, as the ledger's <c>error_code</c> and telemetry's <c>error.type</c> name it; null when nothing did.</summary>
    public string? ErrorCode() => Error switch
    {
        ForwarderError.None => null,
        ForwarderError.UpstreamUnreachable => "upstream_unreachable",
        ForwarderError.UpstreamTimeout => "upstream_timeout",
        ForwarderError.UpstreamRequestFailed => "upstream_error",
        ForwarderError.UpstreamResponseBody => "upstream_stream_error",
        ForwarderError.ClientDisconnected => "client_disconnected",
        ForwarderError.UpstreamErrorStatus => $"upstream_{StatusCode}",
        ForwarderError.NoTargetAvailable => "no_available_target",
        _ => Error.ToString(),
    };
}
