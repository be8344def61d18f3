using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// YARP's transform of one attempt (<see cref="UpstreamAttempt"/>, a feature of the request): the upstream request gets
/// the target's address, the patched body (as the request's body, which YARP streams), the target's key and the client's headers minus hop-by-hop and Gateway-only
/// ones (YARP's propagator replaces <c>traceparent</c> with the Gateway's span). The answer is taken over here rather
/// than copied by YARP: an error answer is kept for the retry decision, a success relayed by <see cref="ResponseRelay"/>,
/// which reads usage, hides the usage chunk and marks a cut stream. Returning false tells YARP the body is dealt with.
/// </summary>
public sealed class UpstreamTransformer(ResponseRelay relay) : HttpTransformer
{
    private const int ErrorBodyLimit = 64 * 1024;
    private static readonly TimeSpan s_errorBodyTimeout = TimeSpan.FromSeconds(10);

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        var attempt = httpContext.Features.GetRequiredFeature<UpstreamAttempt>();
        proxyRequest.RequestUri = attempt.Target.AddressOf(attempt.Request.Operation);
        // YARP streams the body from the request (UpstreamForwarder put the attempt's body there).
        var content = proxyRequest.Content!;
        content.Headers.ContentLength = attempt.Body.Length;
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        foreach (var (name, values) in httpContext.Request.Headers)
        {
            if (ForwardedHeaders.IsForwardedRequestHeader(name) && !TryAdd(proxyRequest.Headers, name, values))
            {
                TryAdd(content.Headers, name, values);
            }
        }

        if (attempt.Target.AuthorizationHeader is { } authorization)
        {
            proxyRequest.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        proxyRequest.Headers.TryAddWithoutValidation(GatewayHeaders.RequestId, attempt.Feature.RequestId);
        return ValueTask.CompletedTask;
    }

    /// <summary>A header's one value as a string (no enumerator boxed for the common case), several as they come.</summary>
    private static bool TryAdd(HttpHeaders headers, string name, StringValues values) =>
        values.Count == 1
            ? headers.TryAddWithoutValidation(name, values[0])
            : headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            // The exchange failed; the forwarder reports how.
            return false;
        }

        var attempt = httpContext.Features.GetRequiredFeature<UpstreamAttempt>();
        attempt.Timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        if (!proxyResponse.IsSuccessStatusCode)
        {
            // YARP copied the status line already; the final answer, if it is this one, is written by the caller.
            httpContext.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = null;
            attempt.Outcome = await ReadErrorAsync(httpContext, proxyResponse, attempt);
            return false;
        }

        MarkAnswer(httpContext.Response, attempt);
        attempt.Outcome = await relay.RelayAsync(httpContext, attempt, proxyResponse);
        return false;
    }

    /// <summary>The headers that say who answered, before the first byte of the answer goes out.</summary>
    internal static void MarkAnswer(HttpResponse response, UpstreamAttempt attempt)
    {
        var feature = attempt.Feature;
        feature.Target = attempt.Target.Label;
        feature.AnsweringTarget = attempt.Target;
        feature.ServedModel = attempt.Target.UpstreamModel;
        response.Headers[GatewayHeaders.Target] = attempt.Target.Label;
        response.Headers[GatewayHeaders.Attempts] = attempt.Number == 1 ? "1" : attempt.Number.ToString(CultureInfo.InvariantCulture);
        if (!string.Equals(attempt.Model, attempt.Request.Model, StringComparison.Ordinal))
        {
            response.Headers[GatewayHeaders.FallbackModel] = attempt.Model;
        }
    }

    private static async Task<AttemptOutcome> ReadErrorAsync(HttpContext context, HttpResponseMessage response, UpstreamAttempt attempt)
    {
        attempt.Timeout.CancelAfter(s_errorBodyTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, attempt.Timeout.Token);
        byte[] body;
        try
        {
            body = await ReadBoundedAsync(response.Content, ErrorBodyLimit, linked.Token);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            return AttemptOutcome.ClientLeft;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status is what matters; an unreadable body is passed on as none.
            body = [];
        }

        return new AttemptOutcome(AttemptResult.ErrorStatus)
        {
            Status = (int)response.StatusCode,
            ErrorBody = body,
            RetryAfter = RetryAfterOf(response),
        };
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

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
}
