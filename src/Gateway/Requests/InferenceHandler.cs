using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Budgets;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.RateLimiting;
using AiPlatform.Gateway.Resilience;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Requests;

/// <summary>
/// One inference request's way through the Gateway. The steps, each of which may end the request with an
/// OpenAI-shaped error:
/// 1. Give the request an id (the client's when well-formed).
/// 2. Authenticate the virtual key (before the body is read, so unauthenticated clients cannot make us buffer),
///    and refuse a key whose budget is spent.
/// 3. Read the body within its limit and validate it (and <c>aig-metadata</c>); route its model; check the key may
///    use that model.
/// 4. Admit it against the key's request and token limits (tokens reserved by estimate, settled at the end).
/// 5. From here the request has reached the model stage and gets a ledger record. Look it up in the response cache;
///    identical requests in flight on this replica wait for the first.
/// 6. Forward it (with retries and fallbacks before the first byte), capturing the answer for the cache on a miss.
/// 7. After the response is sent: settle the token reservation, record usage and spend, store the answer.
/// </summary>
public sealed class InferenceHandler(
    Authenticator authenticator,
    BudgetGuard budgets,
    UsageRecorder usage,
    ModelCatalog catalog,
    RateLimiter rateLimiter,
    ResponseCache cache,
    SingleFlight singleFlight,
    ResilientForwarder forwarder,
    IOptions<ForwardingOptions> forwarding,
    IOptions<ResilienceOptions> resilience,
    IOptions<RateLimitOptions> rateLimits,
    IOptions<UsageOptions> usageOptions,
    TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, InferenceOperation operation)
    {
        // Step 1
        var feature = new GatewayRequestFeature
        {
            RequestId = RequestIds.FromClientOrNew(context.Request.Headers[GatewayHeaders.RequestId]),
            StartTimestamp = time.GetTimestamp(),
            StartedAt = time.GetUtcNow(),
        };
        context.Features.Set(feature);
        context.Response.Headers[GatewayHeaders.RequestId] = feature.RequestId;

        // Step 2
        var auth = await authenticator.AuthenticateAsync(context);
        if (auth.Key is not { } key)
        {
            await RefuseAsync(context, feature, auth.Error!, auth.RetryAfter);
            return;
        }

        feature.KeyId = key.Id;
        feature.KeyName = key.Name;
        if (await budgets.IsSpentAsync(key))
        {
            await RefuseAsync(context, feature, new ApiError(StatusCodes.Status429TooManyRequests,
                $"This key has spent its budget of {key.BudgetUsd} USD{BudgetPeriodText(key.BudgetPeriod)}; raise the budget to continue.",
                ApiErrorTypes.RateLimit, ApiErrorCodes.InsufficientQuota));
            return;
        }

        // Step 3
        if (!TryReadRequestTimeout(context.Request, out var requestTimeout, out var timeoutError))
        {
            await RefuseAsync(context, feature, timeoutError);
            return;
        }

        if (!TryReadMaxAttempts(context.Request, out var maxAttempts, out var attemptsError))
        {
            await RefuseAsync(context, feature, attemptsError);
            return;
        }

        if (!UsageMetadata.TryRead(context.Request, usageOptions.Value.MaxMetadataBytes, out var metadata, out var metadataError))
        {
            await RefuseAsync(context, feature, metadataError);
            return;
        }

        var (body, bodyError) = await RequestBodyReader.ReadAsync(context.Request, forwarding.Value.MaxRequestBodyBytes, context.RequestAborted);
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
        if (!catalog.TryGetRoute(request.Model, out var route) || !key.AllowsModel(request.Model))
        {
            await RefuseAsync(context, feature, route is null ? ModelNotFound(request.Model) : ModelNotAllowed(request.Model));
            return;
        }

        var directive = CacheDirective.From(context.Request, request, body.Span, key, cache.Options, out var cacheError);
        if (directive is null)
        {
            await RefuseAsync(context, feature, cacheError!);
            return;
        }

        // Step 4
        var promptEstimate = EstimatePromptTokens(body.Length);
        var estimate = promptEstimate + (request.MaxTokens ?? rateLimits.Value.DefaultCompletionTokens);
        var limits = await rateLimiter.AdmitAsync(new RateLimitRequest(key.Id, key.Rpm, key.Tpm, estimate,
            auth.ClientIp, rateLimits.Value.ClientIpRequestsPerMinute));
        if (limits is null)
        {
            await RefuseAsync(context, feature, new ApiError(StatusCodes.Status503ServiceUnavailable,
                "Rate limits cannot be checked right now; try again shortly.", ApiErrorTypes.Server, "rate_limiter_unavailable"), TimeSpan.FromSeconds(1));
            return;
        }

        RateLimitHeaders.Write(context.Response, limits);
        if (!limits.Allowed)
        {
            await RefuseAsync(context, feature, new ApiError(StatusCodes.Status429TooManyRequests, limits.Reason!,
                ApiErrorTypes.RateLimit, ApiErrorCodes.RateLimitExceeded), limits.RetryAfter);
            return;
        }

        context.Response.OnCompleted(() =>
        {
            rateLimiter.SettleTokens(key.Id, key.Tpm, limits.TokensReserved, feature.Cached ? 0 : feature.Usage?.TotalTokens ?? limits.TokensReserved);
            return Task.CompletedTask;
        });

        // Steps 5–7
        context.Response.OnCompleted(() => FinishAsync(key, feature, auth.ClientIp, metadata, promptEstimate));
        if (directive.IsBypass)
        {
            context.Response.Headers[CacheHeaders.Status] = CacheHeaders.Bypass;
            await forwarder.ForwardAsync(context, request, body.Memory, route, requestTimeout, maxAttempts, feature);
            return;
        }

        await ServeThroughCacheAsync(context, request, body, route, requestTimeout, maxAttempts, directive, feature);
    }

    private async Task ServeThroughCacheAsync(HttpContext context, InferenceRequest request, PooledBody body, ModelRoute route,
        TimeSpan? requestTimeout, int maxAttempts, CacheDirective directive, GatewayRequestFeature feature)
    {
        var key = directive.Key!;
        byte[]? cached;
        try
        {
            cached = await cache.GetAsync(key);
        }
        catch (CacheUnavailableException)
        {
            context.Response.Headers[CacheHeaders.Status] = CacheHeaders.Bypass;
            await forwarder.ForwardAsync(context, request, body.Memory, route, requestTimeout, maxAttempts, feature);
            return;
        }

        if (cached is null)
        {
            if (singleFlight.TryLead(key, out var leader, out var leadersAnswer))
            {
                await ForwardMissAsync(context, request, body, route, requestTimeout, maxAttempts, directive, feature, leader);
                return;
            }

            cached = await WaitForLeaderAsync(leadersAnswer, context.RequestAborted);
            if (cached is null)
            {
                await ForwardMissAsync(context, request, body, route, requestTimeout, maxAttempts, directive, feature, leader: null);
                return;
            }
        }

        await ServeHitAsync(context, request, cached, feature);
    }

    private async Task ForwardMissAsync(HttpContext context, InferenceRequest request, PooledBody body, ModelRoute route,
        TimeSpan? requestTimeout, int maxAttempts, CacheDirective directive, GatewayRequestFeature feature, TaskCompletionSource<byte[]?>? leader)
    {
        context.Response.Headers[CacheHeaders.Status] = CacheHeaders.Miss;
        var capture = new CacheCapture(request.Operation, request.Stream, cache.Options.MaxEntryBytes);
        byte[]? answer = null;
        try
        {
            await forwarder.ForwardAsync(context, request, body.Memory, route, requestTimeout, maxAttempts, feature, capture);
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
            context.Response.OnCompleted(() =>
            {
                cache.Set(directive.Key!, answer, directive.Ttl);
                return Task.CompletedTask;
            });
        }
    }

    /// <summary>After the response: the ledger record, and the answer's cost on the key's spend counter.</summary>
    private async Task FinishAsync(KeyRecord key, GatewayRequestFeature feature, string clientIp, JsonElement? metadata, int promptEstimate)
    {
        if (feature.StatusCode == 0)
        {
            // The client left before any answer was chosen; nginx's convention for "client closed request".
            feature.StatusCode = 499;
        }

        await usage.RecordAsync(feature, clientIp, metadata, promptEstimate);
        if (!feature.Cached && feature.Usage is { } used)
        {
            budgets.AddSpend(key, feature.ServedModel ?? feature.RequestedModel, used.PromptTokens, used.CompletionTokens);
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

    private static async Task ServeHitAsync(HttpContext context, InferenceRequest request, byte[] cached, GatewayRequestFeature feature)
    {
        feature.Cached = true;
        feature.StatusCode = StatusCodes.Status200OK;
        feature.ServedModel = request.Model;
        if (UsageReader.TryRead(cached, out var usage, out _))
        {
            feature.Usage = usage;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[CacheHeaders.Status] = CacheHeaders.Hit;
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

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// The prompt's tokens as estimated at admission: four bytes of body per token (OpenAI's rule of thumb for
    /// English; JSON overhead makes it generous). The completion's ceiling is added for the reservation.
    /// </summary>
    private static int EstimatePromptTokens(int bodyBytes) => bodyBytes / 4;

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

    /// <summary>
    /// <c>aig-max-attempts</c>: how many attempts (first try, retries and fallbacks together) the caller allows, from 1
    /// (no retry) up to <c>Gateway:Resilience:MaxAttempts</c>; the configured default when absent.
    /// </summary>
    private bool TryReadMaxAttempts(HttpRequest request, out int attempts, out ApiError error)
    {
        var settings = resilience.Value;
        attempts = settings.DefaultAttempts;
        error = null!;
        var header = request.Headers[GatewayHeaders.MaxAttempts];
        if (header.Count == 0)
        {
            return true;
        }

        if (int.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out attempts) && attempts >= 1 && attempts <= settings.MaxAttempts)
        {
            return true;
        }

        error = ApiError.BadRequest($"Header '{GatewayHeaders.MaxAttempts}' must be a whole number from 1 to {settings.MaxAttempts}.", GatewayHeaders.MaxAttempts);
        return false;
    }

    private static string BudgetPeriodText(string? period) => period switch
    {
        SpendFormat.Monthly => " for this month",
        SpendFormat.Daily => " for today",
        _ => "",
    };

    private static ApiError ModelNotFound(string model) =>
        ApiError.NotFound($"The model '{model}' does not exist or you do not have access to it.", ApiErrorCodes.ModelNotFound, "model");

    private static ApiError ModelNotAllowed(string model) =>
        new(StatusCodes.Status403Forbidden, $"This API key is not allowed to use the model '{model}'.", ApiErrorTypes.Permission, "model_not_allowed", "model");

    private static Task RefuseAsync(HttpContext context, GatewayRequestFeature feature, ApiError error, TimeSpan retryAfter = default)
    {
        feature.StatusCode = error.StatusCode;
        return error.WriteAsync(context.Response, retryAfter);
    }
}
