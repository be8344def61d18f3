using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using AiPlatform.Gateway.Streaming;
using AiPlatform.Gateway.Usage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// Relays a target's successful answer to the client without buffering it: SSE event by event (usage read, the usage
/// chunk hidden from a client that did not ask for it), JSON copied through while its <c>usage</c> is read. An
/// upstream that fails once the answer has started cannot be retried: the client gets a cut answer marked as such.
/// </summary>
public sealed class ResponseRelay(IOptions<ForwardingOptions> options, TimeProvider time, ILogger<ResponseRelay> logger)
{
    private const int CopyChunkSize = 16 * 1024;
    private static readonly TimeSpan MidStreamAbortGrace = TimeSpan.FromMilliseconds(50);

    private static ReadOnlySpan<byte> MidStreamError =>
        "data: {\"error\":{\"message\":\"The model backend failed while streaming the answer; the answer is incomplete.\",\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_stream_error\"}}\n\n"u8;

    public async Task<AttemptOutcome> RelayAsync(HttpContext context, UpstreamAttempt attempt, HttpResponseMessage response)
    {
        var feature = attempt.Feature;
        CopyResponseHeaders(response, context.Response);
        feature.StatusCode = context.Response.StatusCode;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, attempt.Timeout.Token);
        try
        {
            if (IsEventStream(response))
            {
                await RelayStreamAsync(context, attempt, response, linked.Token);
            }
            else
            {
                await CopyJsonAsync(context, attempt, response, linked.Token);
            }

            return new AttemptOutcome(AttemptResult.Delivered);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested)
        {
            ForwardingLog.ClientLeft(logger, attempt.Target.Label, ex.GetType().Name);
            return AttemptOutcome.ClientLeft;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or InvalidDataException)
        {
            ForwardingLog.UpstreamFailedMidBody(logger, attempt.Target.Label, ex.Message);
            await EndBrokenResponseAsync(context, attempt.Request.Stream, feature);
            return new AttemptOutcome(AttemptResult.Delivered) { BrokenMidBody = true, Reason = ex.Message };
        }
    }

    private async Task RelayStreamAsync(HttpContext context, UpstreamAttempt attempt, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        // The relay drops the usage chunk when the client did not ask for it, so an upstream Content-Length (a static
        // or buffering upstream sends one) does not describe this body: Kestrel would fail the response as too short
        // and close the connection. Without it the answer is framed chunked.
        context.Response.ContentLength = null;
        var idle = options.Value.StreamIdleTimeout;
        var feature = attempt.Feature;
        await using var upstreamBody = await response.Content.ReadAsStreamAsync(cancellationToken);
        var result = await SseRelay.RelayAsync(
            upstreamBody,
            context.Response,
            hideUsageChunk: !attempt.Request.IncludeUsage,
            attempt.Capture,
            beforeRead: () => attempt.Timeout.CancelAfter(idle),
            onFirstFlush: () => feature.TimeToFirstByte = time.GetElapsedTime(feature.StartTimestamp),
            cancellationToken);

        feature.Usage = result.Usage;
        feature.DeliveredEvents = result.DataEvents;
        if (result.Failure is not null)
        {
            ExceptionDispatchInfo.Throw(result.Failure);
        }

        if (!result.SawDone)
        {
            throw new IOException("The upstream ended the stream without [DONE].");
        }
    }

    private async Task CopyJsonAsync(HttpContext context, UpstreamAttempt attempt, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var feature = attempt.Feature;
        var inspectLimit = options.Value.MaxInspectedResponseBytes;
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

                feature.TimeToFirstByte ??= time.GetElapsedTime(feature.StartTimestamp);
                await context.Response.BodyWriter.WriteAsync(buffer.AsMemory(length, read), cancellationToken);
                length += read;
            }

            if (inspecting)
            {
                if (UsageReader.TryRead(buffer.AsSpan(0, length), out var usage, out _))
                {
                    feature.Usage = usage;
                }

                attempt.Capture?.OnJsonBody(buffer.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
        CopyForwarded(response.Headers.NonValidated, target.Headers);
        CopyForwarded(response.Content.Headers.NonValidated, target.Headers);
    }

    /// <summary>
    /// The headers as the target sent them: the validating enumerator would parse each value into its typed form (a
    /// <c>Server</c> header into product tokens) and allocate an array per header only to write it back as text.
    /// </summary>
    private static void CopyForwarded(HttpHeadersNonValidated headers, IHeaderDictionary target)
    {
        foreach (var (name, values) in headers)
        {
            if (ForwardedHeaders.IsForwardedResponseHeader(name))
            {
                target[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
            }
        }
    }

    private static bool IsEventStream(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
}
