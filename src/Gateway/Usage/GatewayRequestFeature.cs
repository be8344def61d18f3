using System.Diagnostics;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Routing;
using AiPlatform.ServiceDefaults.Errors;

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

    /// <summary>The request's path (<c>/v1/chat/completions</c>), without its query.</summary>
    public string? Path { get; init; }

    /// <summary>Body bytes sent upstream and relayed back; counted for pass-through requests only, whose tokens are unknown.</summary>
    public long? RequestBytes { get; set; }

    /// <inheritdoc cref="RequestBytes"/>
    public long? ResponseBytes { get; set; }

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

    /// <summary>
    /// The feature of a request that just arrived, set on it, with its id (the client's when well-formed) also in the
    /// answer's <c>aig-request-id</c>.
    /// </summary>
    public static GatewayRequestFeature Begin(HttpContext http, TimeProvider time)
    {
        var startedAt = time.GetUtcNow();
        var feature = new GatewayRequestFeature
        {
            RequestId = RequestIds.FromClientOrNew(http.Request.Headers[GatewayHeaders.RequestId], startedAt),
            StartTimestamp = time.GetTimestamp(),
            StartedAt = startedAt,
            // ASP.NET Core's span for the request; the id is a string the activity holds already, so this costs no allocation.
            TraceId = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : null,
            Path = http.Request.Path.Value,
        };
        http.Features.Set(feature);
        http.Response.Headers[GatewayHeaders.RequestId] = feature.RequestId;
        return feature;
    }

    /// <summary>Ends the request with an OpenAI-shaped error, which the ledger records as its status.</summary>
    public Task RefuseAsync(HttpResponse response, ApiError error, TimeSpan retryAfter = default)
    {
        StatusCode = error.StatusCode;
        return error.WriteAsync(response, retryAfter);
    }

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
