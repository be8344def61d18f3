using System.Globalization;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Requests;

/// <summary>The OpenAI-compatible inference routes: validate, route, forward.</summary>
public static class InferenceEndpoints
{
    public static IEndpointRouteBuilder MapInferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/chat/completions", (HttpContext context, [AsParameters] InferenceServices services) =>
            HandleAsync(context, InferenceOperation.ChatCompletions, services)).WithName("CreateChatCompletion");
        v1.MapPost("/completions", (HttpContext context, [AsParameters] InferenceServices services) =>
            HandleAsync(context, InferenceOperation.Completions, services)).WithName("CreateCompletion");
        v1.MapPost("/embeddings", (HttpContext context, [AsParameters] InferenceServices services) =>
            HandleAsync(context, InferenceOperation.Embeddings, services)).WithName("CreateEmbedding");
        return app;
    }

    /// <summary>
    /// One request's way: an id (the client's if well-formed), the body read within its limit, validated,
    /// its model routed, then forwarded. Every refusal leaves in OpenAI's error shape.
    /// </summary>
    private static async Task HandleAsync(HttpContext context, InferenceOperation operation, InferenceServices services)
    {
        var feature = new GatewayRequestFeature
        {
            RequestId = RequestIds.FromClientOrNew(context.Request.Headers[GatewayHeaders.RequestId]),
            StartTimestamp = services.Time.GetTimestamp(),
        };
        context.Features.Set(feature);
        context.Response.Headers[GatewayHeaders.RequestId] = feature.RequestId;

        if (!TryReadRequestTimeout(context.Request, out var requestTimeout, out var timeoutError))
        {
            await RefuseAsync(context, feature, timeoutError);
            return;
        }

        var (body, bodyError) = await RequestBodyReader.ReadAsync(context.Request, services.Forwarding.Value.MaxRequestBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await RefuseAsync(context, feature, bodyError!);
            return;
        }

        context.Response.RegisterForDispose(body);
        if (!InferenceRequestParser.TryParse(body.Span, operation, out var request, out var invalid))
        {
            await RefuseAsync(context, feature, invalid);
            return;
        }

        feature.RequestedModel = request.Model;
        feature.Stream = request.Stream;
        if (!services.Catalog.TryGetRoute(request.Model, out var route))
        {
            await RefuseAsync(context, feature, ApiError.NotFound(
                $"The model '{request.Model}' does not exist or you do not have access to it.", ApiErrorCodes.ModelNotFound, "model"));
            return;
        }

        await services.Forwarder.ForwardAsync(context, request, body.Memory, route, requestTimeout, feature);
    }

    /// <summary><c>aig-request-timeout</c>: seconds (fractions allowed) the caller is willing to wait for the answer to start.</summary>
    private static bool TryReadRequestTimeout(HttpRequest request, out TimeSpan? timeout, out ApiError error)
    {
        timeout = null;
        error = null!;
        var header = request.Headers[GatewayHeaders.RequestTimeout];
        if (header.Count == 0)
        {
            return true;
        }

        if (double.TryParse(header.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 86_400)
        {
            timeout = TimeSpan.FromSeconds(seconds);
            return true;
        }

        error = ApiError.BadRequest($"Header '{GatewayHeaders.RequestTimeout}' must be a number of seconds greater than 0.", GatewayHeaders.RequestTimeout);
        return false;
    }

    private static Task RefuseAsync(HttpContext context, GatewayRequestFeature feature, ApiError error)
    {
        feature.StatusCode = error.StatusCode;
        return error.WriteAsync(context.Response);
    }

    /// <summary>What the inference routes need, bundled for <c>[AsParameters]</c>.</summary>
    public sealed record InferenceServices(
        ModelCatalog Catalog,
        Forwarder Forwarder,
        IOptions<ForwardingOptions> Forwarding,
        TimeProvider Time);
}
