using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Usage;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// YARP's transform of a pass-through request: YARP copies the request and the answer (status, headers, body) as they
/// are; this points the request at the target (its base address, the path after <c>/v1/</c>, the query), puts the
/// target's key in place of the client's, keeps the client's credentials and the Gateway's own headers out, and names
/// the target in the answer.
/// </summary>
internal sealed class PassThroughTransformer : HttpTransformer
{
    public static readonly PassThroughTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var target = httpContext.Features.GetRequiredFeature<PassThroughTarget>().Target;
        httpContext.Request.Path.StartsWithSegments("/v1", out var rest);
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, rest, httpContext.Request.QueryString);
        foreach (var name in proxyRequest.Headers.Select(h => h.Key).Where(IsClientOnly).ToList())
        {
            proxyRequest.Headers.Remove(name);
        }

        if (target.AuthorizationHeader is { } authorization)
        {
            proxyRequest.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        proxyRequest.Headers.TryAddWithoutValidation(GatewayHeaders.RequestId, httpContext.Features.GetRequiredFeature<GatewayRequestFeature>().RequestId);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var own = GatewayAnswerHeaders.Capture(httpContext.Response);
        var relay = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is not null)
        {
            own.PutBack(httpContext.Response);

            var target = httpContext.Features.GetRequiredFeature<PassThroughTarget>().Target;
            httpContext.Response.Headers[GatewayHeaders.Target] = target.Label;
            httpContext.Features.GetRequiredFeature<GatewayRequestFeature>().AnsweringTarget = target;
        }

        return relay;
    }

    /// <summary>
    /// The client's credentials and account headers, the Gateway's own <c>aig-</c> headers, and <c>Host</c>, which
    /// YARP's base transform copies and would name the Gateway to the target (failing TLS on an https target).
    /// </summary>
    private static bool IsClientOnly(string name) =>
        name.StartsWith("aig-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
        || name.Equals("OpenAI-Organization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("OpenAI-Project", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The target a pass-through request goes to, a feature of the request for the transformer.</summary>
internal sealed record PassThroughTarget(RouteTarget Target);
