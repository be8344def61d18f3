using System.Text.Json;
using AiPlatform.Gateway.Pipeline;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Routing;
using Microsoft.AspNetCore.Http.Features;

namespace AiPlatform.Gateway.Responses;

/// <summary>
/// A Responses API request (<c>POST /v1/responses</c>) goes on as the chat completions request that asks the same
/// (<see cref="ResponsesRequestTranslator"/>): refused with a 400 naming the field when it cannot be translated, before it
/// costs a rate-limit token. From here the policies and the forwarder see a chat request, and the client gets the
/// Responses API's answer, streamed or not, through <see cref="TranslatingResponseBody"/> — from an upstream or from the
/// cache alike. A target that serves the Responses API itself (<c>NativeResponses</c>) gets the request as it is instead,
/// and its answer passes unchanged; such a model's Responses answers are not cached. The ledger keeps the request as the
/// client sent it.
/// </summary>
public sealed class ResponsesPolicy(ModelCatalog catalog) : IInferencePolicy
{
    // Every other operation passes straight through, without a state machine of its own.
    public Task InvokeAsync(InferenceContext context, InferenceDelegate next) =>
        context.Operation == InferenceOperation.Responses ? TranslateAsync(context, next) : next(context);

    private async Task TranslateAsync(InferenceContext context, InferenceDelegate next)
    {
        var body = context.Body.Memory;
        if (!ResponsesRequestTranslator.TryTranslate(body.Span, context.Request.Model, out var chatBody, out var untranslatable))
        {
            await context.RefuseAsync(untranslatable!);
            return;
        }

        if (!InferenceRequestParser.TryParse(chatBody, InferenceOperation.ChatCompletions, out var chatRequest, out var invalid))
        {
            // The translation of an input the chat rules refuse (an empty message list, say): the client's mistake all the same.
            await context.RefuseAsync(invalid);
            return;
        }

        var request = JsonDocument.Parse(body);
        context.Http.Response.RegisterForDispose(request);
        var features = context.Http.Features;
        var inner = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var translating = new TranslatingResponseBody(context.Http.Response, inner, request.RootElement);
        context.Responses = new ResponsesExchange(context.Request with { IncludeUsage = true }, body, translating);
        context.Request = chatRequest;
        context.ForwardedBody = chatBody;
        if (ReachesNativeTarget(context.Route))
        {
            // The cache keeps chat answers, which the translation replays; a native target's answer is no chat answer.
            context.Directive = CacheDirective.Bypass;
        }

        features.Set<IHttpResponseBodyFeature>(translating);
        try
        {
            await next(context);
            if (!context.Http.RequestAborted.IsCancellationRequested)
            {
                await translating.FinishAsync(context.Http.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && context.Http.RequestAborted.IsCancellationRequested)
        {
            // The client left, or the relay cut a broken answer off: there is nobody to finish the translation for.
        }
        finally
        {
            features.Set(inner);
        }
    }

    /// <summary>Whether a target of the model, or of a model it falls back to, serves the Responses API itself.</summary>
    private bool ReachesNativeTarget(ModelRoute route) =>
        route.Targets.Any(t => t.NativeResponses)
        || route.Fallbacks.Concat(route.ContextWindowFallbacks)
            .Any(name => catalog.TryGetRoute(name, out var fallback) && fallback.Targets.Any(t => t.NativeResponses));
}
