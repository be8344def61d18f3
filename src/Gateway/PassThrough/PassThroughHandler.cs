using System.Net;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Budgets;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.RateLimiting;
using AiPlatform.Gateway.Resilience;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using ForwarderError = AiPlatform.Gateway.Forwarding.ForwarderError;
using YarpError = Yarp.ReverseProxy.Forwarder.ForwarderError;

namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// Any other <c>/v1/</c> path, for a model with <c>PassThrough</c> on: the virtual key is checked (budget spent, model
/// allowed), one request is counted against its limits, the model found where the API puts it, and the request goes to
/// one of the model's targets through YARP unchanged but for the key, its body streamed both ways. The ledger gets a
/// record with the path, the status, the latency and the bytes each way; no tokens, which the Gateway cannot know here.
/// One attempt only: a streamed body cannot be sent twice.
/// </summary>
public sealed class PassThroughHandler(
    ModelCatalog catalog,
    Authenticator authenticator,
    BudgetGuard budgets,
    RateLimitPolicy rateLimits,
    UsageRecorder usage,
    OwnedPaths ownedPaths,
    IHttpForwarder forwarder,
    UpstreamClient client,
    IOptions<PassThroughOptions> options,
    IOptions<ForwardingOptions> forwarding,
    TimeProvider time)
{
    private readonly ForwarderRequestConfig _config = Config(forwarding.Value);

    public async Task HandleAsync(HttpContext http)
    {
        // Left without a body, these get the same OpenAI-shaped answer as before the pass-through existed (UseApiErrors).
        if (ownedPaths.Contains(http.Request.Path))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!catalog.AnyPassThrough)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var feature = GatewayRequestFeature.Begin(http, time);
        var auth = await authenticator.AuthenticateAsync(http);
        if (auth.Key is not { } key)
        {
            await feature.RefuseAsync(http.Response, auth.Error!, auth.RetryAfter);
            return;
        }

        (feature.KeyId, feature.KeyName) = (key.Id, key.Name);
        await ForwardAsync(http, feature, key, auth.ClientIp);
    }

    private async Task ForwardAsync(HttpContext http, GatewayRequestFeature feature, KeyRecord key, string clientIp)
    {
        var settings = options.Value;
        if (await budgets.IsSpentAsync(key))
        {
            await feature.RefuseAsync(http.Response, BudgetPolicy.SpentError(key));
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = settings.MaxRequestBodyBytes;
        }

        if (http.Request.ContentLength > settings.MaxRequestBodyBytes)
        {
            await feature.RefuseAsync(http.Response, new ApiError(StatusCodes.Status413PayloadTooLarge,
                $"The request body is larger than the pass-through limit of {settings.MaxRequestBodyBytes} bytes.", ApiErrorTypes.InvalidRequest, "request_too_large"));
            return;
        }

        var found = await PassThroughModel.FindAsync(http.Request, settings.MaxModelScanBytes, http.RequestAborted);
        if (found.Error is { } invalid)
        {
            await feature.RefuseAsync(http.Response, invalid);
            return;
        }

        var model = found.Model ?? settings.DefaultModel;
        if (model is null)
        {
            await feature.RefuseAsync(http.Response, ApiError.BadRequest(
                $"{http.Request.Method} {http.Request.Path} names no model, and no default is configured for it (Gateway:PassThrough:DefaultModel).", "model"));
            return;
        }

        feature.RequestedModel = model;
        if (!catalog.TryGetRoute(model, out var route) || !route.PassThrough)
        {
            await feature.RefuseAsync(http.Response, route is null
                ? ApiError.NotFound($"The model '{model}' does not exist or you do not have access to it.", ApiErrorCodes.ModelNotFound, "model")
                : UnknownPath(http.Request, $"The model '{model}' does not take pass-through requests (Gateway:Models:N:PassThrough)."));
            return;
        }

        if (!key.AllowsModel(model))
        {
            await feature.RefuseAsync(http.Response, new ApiError(StatusCodes.Status403Forbidden,
                $"This API key is not allowed to use the model '{model}'.", ApiErrorTypes.Permission, "model_not_allowed", "model"));
            return;
        }

        // A request counts; its tokens are unknown, so it reserves none.
        if (await rateLimits.AdmitAsync(http.Response, feature, key, clientIp, tokens: 0) is null)
        {
            return;
        }

        // From here the request gets a ledger record, as requests to the known endpoints do once admitted.
        http.Response.OnCompleted(() =>
        {
            if (feature.StatusCode == 0)
            {
                feature.StatusCode = feature.Error == ForwarderError.ClientDisconnected && !http.Response.HasStarted ? 499 : http.Response.StatusCode;
            }

            return usage.RecordAsync(feature, clientIp, metadata: null, promptEstimate: 0, payload: null);
        });
        var now = time.GetTimestamp();
        if (TargetPicker.Pick(route, now, static (t, now) => t.State.IsAvailable(now)) is not { } target)
        {
            await FailureAnswers.WriteAsync(http, feature, model, last: null, target: null, capture: null);
            return;
        }

        await SendAsync(http, feature, target, found);
    }

    private async Task SendAsync(HttpContext http, GatewayRequestFeature feature, RouteTarget target, PassThroughModel.Found found)
    {
        var requestBody = new PassThroughRequestBody(found.ReadAhead, http.Request.Body, watchFormModel: found.InForm);
        // The Gateway's own answer headers (request id, rate limits), for an answer of its own after a failure.
        var own = GatewayAnswerHeaders.Capture(http.Response);
        var responseBody = new CountingResponseBody(http.Response.Body);
        (http.Request.Body, http.Response.Body) = (requestBody, responseBody);
        http.Features.Set(new PassThroughTarget(target));
        feature.Attempts = 1;
        // The body goes as the client wrote it, model name included: that is the model served.
        feature.ServedModel = feature.RequestedModel;
        target.State.Enter();
        var sent = time.GetTimestamp();
        YarpError error;
        try
        {
            error = await forwarder.SendAsync(http, target.BaseAddress.AbsoluteUri.TrimEnd('/'), client.Invoker, _config,
                PassThroughTransformer.Instance, http.RequestAborted);
        }
        finally
        {
            target.State.Exit();
            feature.UpstreamTicks = time.GetTimestamp() - sent;
            (feature.RequestBytes, feature.ResponseBytes) = (requestBody.BytesRead, responseBody.BytesWritten);
        }

        feature.Target = target.Label;
        if (requestBody.ModelNamedTwice && !http.Response.HasStarted)
        {
            Restore(http.Response, own);
            await feature.RefuseAsync(http.Response, ApiError.BadRequest("The form names its model more than once.", "model"));
            return;
        }

        if (error != YarpError.None)
        {
            await AnswerFailureAsync(http, feature, target, error, own);
        }
    }

    private static void Restore(HttpResponse response, GatewayAnswerHeaders own)
    {
        response.Clear();
        own.PutBack(response);
    }

    /// <summary>YARP's failure as the Gateway's error answer when nothing was sent yet, and as the ledger's error code.</summary>
    private static async Task AnswerFailureAsync(HttpContext http, GatewayRequestFeature feature, RouteTarget target, YarpError error,
        GatewayAnswerHeaders own)
    {
        if (http.RequestAborted.IsCancellationRequested || error is YarpError.RequestCanceled or YarpError.RequestBodyClient or YarpError.ResponseBodyClient
            or YarpError.UpgradeRequestClient or YarpError.UpgradeResponseClient)
        {
            feature.Error = ForwarderError.ClientDisconnected;
            return;
        }

        if (http.Response.HasStarted)
        {
            // The answer was under way; YARP aborted the client's response, which is all that can be said now.
            feature.Error = ForwarderError.UpstreamResponseBody;
            return;
        }

        var result = error switch
        {
            YarpError.Request when http.Features.Get<IForwarderErrorFeature>()?.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => AttemptResult.Unreachable,
            YarpError.RequestTimedOut => AttemptResult.TimedOut,
            _ => AttemptResult.Failed,
        };
        Restore(http.Response, own);
        await FailureAnswers.WriteAsync(http, feature, feature.RequestedModel!, new AttemptOutcome(result), target, capture: null);
    }

    /// <summary>No limit of YARP's on how long a body takes: an upload or a download lives as long as bytes flow within the idle timeout.</summary>
    private static ForwarderRequestConfig Config(ForwardingOptions forwarding) => new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = forwarding.ResponseTimeout,
        AllowResponseBuffering = false,
    };

    /// <summary>OpenAI's answer to a path it does not serve, as the Gateway words it for every unknown path, and why.</summary>
    private static ApiError UnknownPath(HttpRequest request, string why) =>
        ApiError.NotFound($"Unknown path: {request.Method} {request.Path}. {why}", ApiErrorCodes.NotFound);
}
