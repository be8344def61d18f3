using System.Buffers;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Pipeline;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Caching;

/// <summary>
/// Answers from the response cache when it can: a hit is served without going upstream (as JSON, or replayed as SSE);
/// identical requests in flight on this replica wait for the first instead of all going upstream; a miss is forwarded
/// with its answer captured and stored after the response. A cache that cannot be read is bypassed, never an error.
/// </summary>
public sealed class CachePolicy(ResponseCache cache, SingleFlight singleFlight, TimeProvider time) : IInferencePolicy
{
    public async Task InvokeAsync(InferenceContext context, InferenceDelegate next)
    {
        var directive = context.Directive;
        if (directive.IsBypass)
        {
            context.Http.Response.Headers[CacheHeaders.Status] = CacheHeaders.Bypass;
            await next(context);
            return;
        }

        var key = directive.Key!;
        byte[]? cached;
        try
        {
            cached = await cache.GetAsync(key);
        }
        catch (CacheUnavailableException)
        {
            context.Http.Response.Headers[CacheHeaders.Status] = CacheHeaders.Bypass;
            await next(context);
            return;
        }

        if (cached is null)
        {
            if (singleFlight.TryLead(key, out var leader, out var leadersAnswer))
            {
                await ForwardMissAsync(context, next, leader);
                return;
            }

            cached = await WaitForLeaderAsync(leadersAnswer, context.Http.RequestAborted);
            if (cached is null)
            {
                await ForwardMissAsync(context, next, leader: null);
                return;
            }
        }

        await ServeHitAsync(context, cached);
    }

    private async Task ForwardMissAsync(InferenceContext context, InferenceDelegate next, TaskCompletionSource<byte[]?>? leader)
    {
        var (directive, feature) = (context.Directive, context.Feature);
        context.Http.Response.Headers[CacheHeaders.Status] = CacheHeaders.Miss;
        var capture = new CacheCapture(context.Request.Operation, context.Request.Stream, cache.Options.MaxEntryBytes);
        context.AddCapture(capture);
        byte[]? answer = null;
        try
        {
            await next(context);
            if (feature.Error == ForwarderError.None && feature.StatusCode == StatusCodes.Status200OK)
            {
                answer = capture.Result();
            }
        }
        finally
        {
            if (leader is not null)
            {
                singleFlight.Complete(directive.Key!, leader, answer);
            }
        }

        if (answer is not null)
        {
            context.Http.Response.OnCompleted(() =>
            {
                cache.Set(directive.Key!, answer, directive.Ttl);
                return Task.CompletedTask;
            });
        }
    }

    private async Task<byte[]?> WaitForLeaderAsync(Task<byte[]?> leadersAnswer, CancellationToken cancellationToken)
    {
        try
        {
            return await leadersAnswer.WaitAsync(cache.Options.SingleFlightWait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private static async Task ServeHitAsync(InferenceContext context, byte[] cached)
    {
        var (request, feature) = (context.Request, context.Feature);
        feature.Cached = true;
        feature.StatusCode = StatusCodes.Status200OK;
        feature.ServedModel = request.Model;
        if (UsageReader.TryRead(cached, out var usage, out _))
        {
            feature.Usage = usage;
        }

        var response = context.Http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[CacheHeaders.Status] = CacheHeaders.Hit;
        // The stored form is the non-streamed answer, whichever form the client gets.
        context.Capture?.OnJsonBody(cached);
        if (request.Stream)
        {
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            SseReplay.Write(response.BodyWriter, cached, request.Operation, request.IncludeUsage);
        }
        else
        {
            response.ContentType = "application/json";
            response.ContentLength = cached.Length;
            response.BodyWriter.Write(cached);
        }

        await response.BodyWriter.FlushAsync(context.Http.RequestAborted);
    }
}
