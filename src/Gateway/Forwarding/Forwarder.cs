using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Streaming;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// Sends a validated request to its model's targets and relays the answer to the client without buffering it.
/// </summary>
public sealed class Forwarder(UpstreamHttp upstream, IOptions<ForwardingOptions> options, TimeProvider time, ILogger<Forwarder> logger)
{
    private const int ErrorBodyLimit = 64 * 1024;
    private const int CopyChunkSize = 16 * 1024;
    private static readonly TimeSpan MidStreamAbortGrace = TimeSpan.FromMilliseconds(50);

    private static ReadOnlySpan<byte> MidStreamError =>
        "data: {\"error\":{\"message\":\"The model backend failed while streaming the answer; the answer is incomplete.\",\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_stream_error\"}}\n\n"u8;

    /// <summary>
    /// Forwards one request. The steps:
    /// 1. Make the upstream body (model renamed, usage requested when streaming).
    /// 2. Try the route's targets in order until one answers with response headers: an unreachable target
    ///    passes the request to the next one (nothing was sent, so nothing is replayed); no answer within the
    ///    response timeout is 504; any other failure before the headers is 502.
    /// 3. An upstream error status is passed on in OpenAI's error shape.
    /// 4. Copy the response headers and relay the body: SSE event by event, JSON copied through while its
    ///    <c>usage</c> is read.
    /// 5. A failure once the response has started sends a stream an error event, then aborts the connection,
    ///    so that a cut answer never looks complete. A client that leaves cancels the upstream.
    /// </summary>
    public async Task ForwardAsync(HttpContext context, InferenceRequest request, ReadOnlyMemory<byte> body, ModelRoute route,
        TimeSpan? requestTimeout, GatewayRequestFeature feature, IResponseCapture? capture = null)
    {
        var settings = options.Value;
        var responseTimeout = requestTimeout is { } asked && asked < settings.ResponseTimeout ? asked : settings.ResponseTimeout;
        var targets = route.OrderForNextRequest();

        for (var attempt = 0; attempt < targets.Count; attempt++)
        {
            var target = targets[attempt];
            feature.Retries = attempt;

            // Step 1: per target, since targets may name the model differently.
            using var upstreamBody = UpstreamBody.Create(body, request, target.UpstreamModel);
            using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
            timeout.CancelAfter(responseTimeout);

            // Step 2
            using var message = CreateUpstreamRequest(context, request.Operation, target, upstreamBody.Content, feature.RequestId);
            HttpResponseMessage response;
            try
            {
                response = await upstream.Invoker.SendAsync(message, linked.Token);
            }
            catch (Exception ex) when (context.RequestAborted.IsCancellationRequested)
            {
                ForwardingLog.ClientLeft(logger, target.Label, ex.GetType().Name);
                feature.Error = ForwarderError.ClientDisconnected;
                return;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                ForwardingLog.UpstreamTimeout(logger, target.Label, responseTimeout);
                await FailAsync(context, feature, target, ForwarderError.UpstreamTimeout, new ApiError(StatusCodes.Status504GatewayTimeout,
                    $"The model backend did not answer within {responseTimeout.TotalSeconds:0.###} s.", ApiErrorTypes.Server, "upstream_timeout"));
                return;
            }
            catch (Exception ex) when (IsUnreachable(ex))
            {
                ForwardingLog.UpstreamUnreachable(logger, target.Label, ex.Message);
                if (attempt + 1 < targets.Count)
                {
                    continue;
                }

                await FailAsync(context, feature, target, ForwarderError.UpstreamUnreachable, new ApiError(StatusCodes.Status502BadGateway,
                    $"No model backend for '{request.Model}' could be reached.", ApiErrorTypes.Server, "upstream_unreachable"));
                return;
            }
            catch (HttpRequestException ex)
            {
                ForwardingLog.UpstreamFailed(logger, target.Label, ex.Message);
                await FailAsync(context, feature, target, ForwarderError.UpstreamRequestFailed, new ApiError(StatusCodes.Status502BadGateway,
                    "The model backend failed before answering.", ApiErrorTypes.Server, "upstream_error"));
                return;
            }

            using (response)
            {
                feature.Target = target.Label;
                feature.ServedModel = target.UpstreamModel;
                context.Response.Headers[GatewayHeaders.Target] = target.Label;

                // Step 3
                if (!response.IsSuccessStatusCode)
                {
                    await PassErrorOnAsync(context, response, feature, linked.Token);
                    return;
                }

                // Step 4
                context.Response.StatusCode = (int)response.StatusCode;
                CopyResponseHeaders(response, context.Response);
                feature.StatusCode = context.Response.StatusCode;
                try
                {
                    if (IsEventStream(response))
                    {
                        await RelayStreamAsync(context, request, response, timeout, linked.Token, feature, capture);
                    }
                    else
                    {
                        await CopyJsonAsync(context, response, settings.MaxInspectedResponseBytes, linked.Token, feature, capture);
                    }
                }
                catch (Exception ex) when (context.RequestAborted.IsCancellationRequested)
                {
                    ForwardingLog.ClientLeft(logger, target.Label, ex.GetType().Name);
                    feature.Error = ForwarderError.ClientDisconnected;
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or InvalidDataException)
                {
                    // Step 5
                    ForwardingLog.UpstreamFailedMidBody(logger, target.Label, ex.Message);
                    await EndBrokenResponseAsync(context, request.Stream, feature);
                }
            }

            return;
        }
    }

    private HttpRequestMessage CreateUpstreamRequest(HttpContext context, InferenceOperation operation, RouteTarget target,
        ReadOnlyMemory<byte> body, string requestId)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(target.BaseAddress, operation.UpstreamPath()))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(body),
        };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        // With an activity the handler writes our own span's traceparent; without one the client's passes as it is.
        var replaceTraceContext = Activity.Current is not null;
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!ForwardedHeaders.IsForwardedRequestHeader(name) || (replaceTraceContext && ForwardedHeaders.IsTraceContext(name)))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        if (target.AuthorizationHeader is { } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        message.Headers.TryAddWithoutValidation(GatewayHeaders.RequestId, requestId);
        return message;
    }

    private async Task RelayStreamAsync(HttpContext context, InferenceRequest request, HttpResponseMessage response,
        CancellationTokenSource idleTimeout, CancellationToken cancellationToken, GatewayRequestFeature feature, IResponseCapture? capture)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        // The relay drops the usage chunk when the client did not ask for it, so an upstream Content-Length (a static
        // or buffering upstream sends one) does not describe this body: Kestrel would fail the response as too short
        // and close the connection. Without it the answer is framed chunked.
        context.Response.ContentLength = null;
        var idle = options.Value.StreamIdleTimeout;
        await using var upstreamBody = await response.Content.ReadAsStreamAsync(cancellationToken);
        var result = await SseRelay.RelayAsync(
            upstreamBody,
            context.Response,
            hideUsageChunk: !request.IncludeUsage,
            capture,
            beforeRead: () => idleTimeout.CancelAfter(idle),
            onFirstFlush: () => feature.TimeToFirstByte = time.GetElapsedTime(feature.StartTimestamp),
            cancellationToken);

        feature.Usage = result.Usage;
        feature.DeliveredEvents = result.DataEvents;
        if (!result.SawDone)
        {
            throw new IOException("The upstream ended the stream without [DONE].");
        }
    }

    private async Task CopyJsonAsync(HttpContext context, HttpResponseMessage response, int inspectLimit,
        CancellationToken cancellationToken, GatewayRequestFeature feature, IResponseCapture? capture)
    {
        await using var upstreamBody = await response.Content.ReadAsStreamAsync(cancellationToken);
        var declared = response.Content.Headers.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(declared is > 0 && declared <= inspectLimit ? (int)declared : CopyChunkSize);
        var length = 0;
        var inspecting = true;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (inspecting && buffer.Length < inspectLimit)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(inspectLimit, buffer.Length * 2));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    else
                    {
                        // Too large to keep: relay the rest without reading its usage.
                        inspecting = false;
                        length = 0;
                    }
                }

                var read = await upstreamBody.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                if (feature.TimeToFirstByte is null)
                {
                    feature.TimeToFirstByte = time.GetElapsedTime(feature.StartTimestamp);
                }

                await context.Response.BodyWriter.WriteAsync(buffer.AsMemory(length, read), cancellationToken);
                length += read;
            }

            if (inspecting)
            {
                if (UsageReader.TryRead(buffer.AsSpan(0, length), out var usage, out _))
                {
                    feature.Usage = usage;
                }

                capture?.OnJsonBody(buffer.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Passes an upstream error on: its status for 4xx (and 503/504, which say "try later" and "too slow"),
    /// 502 for other 5xx; its body when it already is an OpenAI error, otherwise wrapped in one.
    /// </summary>
    private async Task PassErrorOnAsync(HttpContext context, HttpResponseMessage response, GatewayRequestFeature feature, CancellationToken cancellationToken)
    {
        var upstreamStatus = (int)response.StatusCode;
        var status = upstreamStatus is < 500 or 503 or 504 ? upstreamStatus : StatusCodes.Status502BadGateway;
        feature.Error = ForwarderError.UpstreamErrorStatus;
        feature.StatusCode = status;
        ForwardingLog.UpstreamErrorStatus(logger, feature.Target!, upstreamStatus);

        var body = await ReadBoundedAsync(response.Content, ErrorBodyLimit, cancellationToken);
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        if (UpstreamErrors.IsOpenAIError(body))
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body, cancellationToken);
            return;
        }

        await UpstreamErrors.Wrap(status, upstreamStatus, body).WriteAsync(context.Response);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit];
        var length = 0;
        int read;
        while (length < limit && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return buffer[..length];
    }

    private static async Task FailAsync(HttpContext context, GatewayRequestFeature feature, RouteTarget target, ForwarderError error, ApiError answer)
    {
        feature.Error = error;
        feature.StatusCode = answer.StatusCode;
        context.Response.Headers[GatewayHeaders.Target] = target.Label;
        await answer.WriteAsync(context.Response);
    }

    /// <summary>
    /// Ends a response whose upstream failed after it started, so that the cut answer cannot be taken for a complete
    /// one. A stream first gets OpenAI's mid-stream error event (<c>data: {"error": …}</c>, which the Python SDK
    /// raises on); then, for streams and JSON alike, the connection is aborted, which is what the .NET SDK raises on
    /// (it ignores the event). Kestrel drops output it has not handed to the socket yet when aborting, hence the short
    /// grace between flushing the event and the abort.
    /// </summary>
    private async Task EndBrokenResponseAsync(HttpContext context, bool stream, GatewayRequestFeature feature)
    {
        feature.Error = ForwarderError.UpstreamResponseBody;
        if (stream)
        {
            try
            {
                context.Response.BodyWriter.Write(MidStreamError);
                await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
                await Task.Delay(MidStreamAbortGrace, time, context.RequestAborted);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The client is gone as well; the abort below is all that is left to do.
            }
        }

        context.Abort();
    }

    private static void CopyResponseHeaders(HttpResponseMessage response, HttpResponse target)
    {
        foreach (var (name, values) in response.Headers)
        {
            if (ForwardedHeaders.IsForwardedResponseHeader(name))
            {
                target.Headers[name] = values.ToArray();
            }
        }

        foreach (var (name, values) in response.Content.Headers)
        {
            if (ForwardedHeaders.IsForwardedResponseHeader(name))
            {
                target.Headers[name] = values.ToArray();
            }
        }
    }

    private static bool IsEventStream(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the request cannot have reached the target: safe to try the next one.</summary>
    private static bool IsUnreachable(Exception ex) => ex switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
        HttpRequestException { InnerException: SocketException } => true,
        // SocketsHttpHandler reports its ConnectTimeout as a cancellation wrapping a TimeoutException.
        OperationCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };
}
