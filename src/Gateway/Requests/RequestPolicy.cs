using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Pipeline;
using AiPlatform.Gateway.Resilience;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Requests;

/// <summary>
/// Reads everything the request says and refuses it, before it costs a rate-limit token, when any of it is wrong: the
/// Gateway's headers (<c>aig-request-timeout</c>, <c>aig-max-attempts</c>, <c>aig-metadata</c>, the cache's), the body
/// within its limit and against its operation's rules, and the model, which must exist and be allowed to the key (a
/// moderation that names none gets <c>Gateway:Moderations:DefaultModel</c>).
/// </summary>
public sealed class RequestPolicy(
    ModelCatalog catalog,
    ResponseCache cache,
    IOptions<ForwardingOptions> forwarding,
    IOptions<ResilienceOptions> resilience,
    IOptions<UsageOptions> usage,
    IOptions<ModerationOptions> moderation) : IInferencePolicy
{
    public async Task InvokeAsync(InferenceContext context, InferenceDelegate next)
    {
        var request = context.Http.Request;
        if (!GatewayRequestHeaders.TryReadRequestTimeout(request, out var requestTimeout, out var headerError)
            || !GatewayRequestHeaders.TryReadMaxAttempts(request, resilience.Value, out var maxAttempts, out headerError)
            || !UsageMetadata.TryRead(request, usage.Value.MaxMetadataBytes, out var metadata, out headerError))
        {
            await context.RefuseAsync(headerError);
            return;
        }

        (context.RequestTimeout, context.MaxAttempts, context.Metadata) = (requestTimeout, maxAttempts, metadata);
        var (body, bodyError) = await RequestBodyReader.ReadAsync(request, forwarding.Value.MaxRequestBodyBytes, context.Http.RequestAborted);
        if (body is null)
        {
            await context.RefuseAsync(bodyError!);
            return;
        }

        context.Http.Response.RegisterForDispose(body);
        context.Body = body;
        if (!InferenceRequestParser.TryParse(body.Span, context.Operation, moderation.Value.DefaultModel, out var parsed, out var invalid))
        {
            await context.RefuseAsync(invalid);
            return;
        }

        context.Request = parsed;
        context.Feature.RequestedModel = parsed.Model;
        context.Feature.Stream = parsed.Stream;
        if (!catalog.TryGetRoute(parsed.Model, out var route) || !context.Key.AllowsModel(parsed.Model))
        {
            await context.RefuseAsync(route is null
                ? parsed.ModelOmitted ? DefaultModelNotConfigured(parsed.Model) : ModelNotFound(parsed.Model)
                : ModelNotAllowed(parsed.Model));
            return;
        }

        context.Route = route;
        var directive = CacheDirective.From(request, parsed, body.Span, context.Key, cache.Options, out var cacheError);
        if (directive is null)
        {
            await context.RefuseAsync(cacheError!);
            return;
        }

        context.Directive = directive;
        await next(context);
    }

    private static ApiError ModelNotFound(string model) =>
        ApiError.NotFound($"The model '{model}' does not exist or you do not have access to it.", ApiErrorCodes.ModelNotFound, "model");

    /// <summary>The client named no model, so a 404 for a model it never asked for would mislead: it must name one.</summary>
    private static ApiError DefaultModelNotConfigured(string model) =>
        ApiError.BadRequest(
            $"You must provide a model parameter: the default moderation model '{model}' is not served here.",
            "model");

    private static ApiError ModelNotAllowed(string model) =>
        new(StatusCodes.Status403Forbidden, $"This API key is not allowed to use the model '{model}'.", ApiErrorTypes.Permission, "model_not_allowed", "model");
}
