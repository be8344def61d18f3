using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Yarp.ReverseProxy.Forwarder;
using YarpError = Yarp.ReverseProxy.Forwarder.ForwarderError;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// Sends one attempt through YARP's <see cref="IHttpForwarder"/> and says how it ended. YARP builds and sends the
/// request (through <see cref="UpstreamTransformer"/>) and sorts transport failures into its error categories, which
/// are mapped here to what a retry decision needs: unreachable (nothing was sent), timed out, or failed.
/// </summary>
public sealed class UpstreamForwarder(IHttpForwarder forwarder, UpstreamClient client, UpstreamTransformer transformer)
{
    /// <summary>
    /// HTTP/1.1 as the workers and most providers speak it. No activity timeout of YARP's: the attempt's own timeout
    /// bounds the wait for the headers, and the relay's idle timeout the body.
    /// </summary>
    private static readonly ForwarderRequestConfig s_config = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = Timeout.InfiniteTimeSpan,
        AllowResponseBuffering = false,
    };

    public async Task<AttemptOutcome> SendAsync(HttpContext context, UpstreamAttempt attempt, TimeSpan timeToFirstByte)
    {
        context.Features.Set(attempt);
        // YARP sends the request's body and refuses a response already set: each attempt starts afresh.
        context.Request.Body = AsStream(attempt.Body);
        context.Request.ContentLength = attempt.Body.Length;
        context.Response.StatusCode = StatusCodes.Status200OK;
        attempt.Timeout.CancelAfter(timeToFirstByte);
        var error = await forwarder.SendAsync(context, attempt.Target.BaseAddress.AbsoluteUri, client.Invoker, s_config, transformer, attempt.Timeout.Token);
        if (attempt.Outcome is { } outcome)
        {
            return outcome;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return AttemptOutcome.ClientLeft;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var reason = exception?.Message ?? error.ToString();
        if (error == YarpError.RequestCanceled && attempt.Timeout.IsCancellationRequested)
        {
            return new AttemptOutcome(AttemptResult.TimedOut) { Reason = reason };
        }

        return new AttemptOutcome(IsUnreachable(error, exception) ? AttemptResult.Unreachable : AttemptResult.Failed) { Reason = reason };
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);

    /// <summary>True when the request cannot have reached the target.</summary>
    private static bool IsUnreachable(YarpError error, Exception? exception) => (error, exception) switch
    {
        (_, HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }) => true,
        (_, HttpRequestException { InnerException: SocketException }) => true,
        // SocketsHttpHandler reports its ConnectTimeout as a cancellation, which YARP files as a request timeout.
        (YarpError.RequestTimedOut, OperationCanceledException) => true,
        _ => false,
    };
}
