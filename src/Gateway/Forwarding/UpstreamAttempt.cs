using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// One attempt to send a request to one target, set as a feature of the request while YARP's forwarder runs, so the
/// <see cref="UpstreamTransformer"/> (one for all requests) knows what to send and where the answer goes.
/// </summary>
public sealed class UpstreamAttempt
{
    public required InferenceRequest Request { get; init; }

    public required RouteTarget Target { get; init; }

    /// <summary>The model whose target this is: the requested one, or a fallback.</summary>
    public required string Model { get; init; }

    /// <summary>The upstream body, patched for this target.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>1 for the first attempt of the request.</summary>
    public required int Number { get; init; }

    public required GatewayRequestFeature Feature { get; init; }

    public IResponseCapture? Capture { get; init; }

    /// <summary>
    /// Cancels the attempt: armed with the time to first byte, disarmed when the response headers arrive, then re-armed
    /// with the stream idle timeout before every read of the body.
    /// </summary>
    public required CancellationTokenSource Timeout { get; init; }

    /// <summary>Set by the transformer when the target answered; null when the exchange failed before that.</summary>
    public AttemptOutcome? Outcome { get; set; }
}
