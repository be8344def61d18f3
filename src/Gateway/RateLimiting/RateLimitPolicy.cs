using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Pipeline;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.RateLimiting;

/// <summary>
/// Admits the request against its key's request and token limits (and the per-address limit), reserving the tokens it
/// may use: the prompt by estimate plus, for a generation, its <c>max_tokens</c>. After the answer the reservation is
/// settled to the tokens actually used (none for a cached answer; it stands when the answer reported no usage).
/// </summary>
public sealed class RateLimitPolicy(RateLimiter rateLimiter, RateLimitMetrics metrics, IOptions<RateLimitOptions> options) : IInferencePolicy
{
    public async Task InvokeAsync(InferenceContext context, InferenceDelegate next)
    {
        var (key, feature, settings) = (context.Key, context.Feature, options.Value);
        context.PromptEstimate = EstimatePromptTokens(context.Body.Length);
        // An operation that generates nothing reserves no completion tokens: a moderation reports no usage, so its
        // reservation is never settled and would otherwise charge the key for a completion that never happened.
        var completionCeiling = context.Request.Operation.Generates() ? context.Request.MaxTokens ?? settings.DefaultCompletionTokens : 0;
        // In long: a max_tokens near int.MaxValue must not wrap the reservation into a negative cost.
        var reservation = (int)Math.Min((long)context.PromptEstimate + completionCeiling, int.MaxValue);
        if (await AdmitAsync(context.Http.Response, feature, key, context.ClientIp, reservation) is not { } limits)
        {
            return;
        }

        context.Http.Response.OnCompleted(() =>
        {
            rateLimiter.SettleTokens(key.Id, key.Tpm, limits.TokensReserved, feature.Cached ? 0 : feature.Usage?.TotalTokens ?? limits.TokensReserved);
            return Task.CompletedTask;
        });
        await next(context);
    }

    /// <summary>
    /// Admits a request of <paramref name="key"/> reserving <paramref name="tokens"/> and writes the limits' headers; null
    /// when it was refused, the refusal (429, or 503 when the limits cannot be checked) already answered. Completes at
    /// once, without an async state machine, when the limiter admits at once (this replica's leases).
    /// </summary>
    public ValueTask<RateLimitDecision?> AdmitAsync(HttpResponse response, GatewayRequestFeature feature, KeyRecord key, string clientIp, int tokens)
    {
        var admission = rateLimiter.AdmitAsync(new RateLimitRequest(key.Id, key.Rpm, key.Tpm, tokens,
            clientIp, options.Value.ClientIpRequestsPerMinute));
        if (admission.IsCompletedSuccessfully && admission.Result is { Allowed: true } admitted)
        {
            RateLimitHeaders.Write(response, admitted);
            return ValueTask.FromResult<RateLimitDecision?>(admitted);
        }

        return new(DecideAsync(admission, response, feature, tokens));
    }

    private async Task<RateLimitDecision?> DecideAsync(ValueTask<RateLimitDecision?> admission, HttpResponse response, GatewayRequestFeature feature, int tokens)
    {
        var limits = await admission;
        if (limits is null)
        {
            metrics.Refused(null, tokens);
            await feature.RefuseAsync(response, new ApiError(StatusCodes.Status503ServiceUnavailable,
                "Rate limits cannot be checked right now; try again shortly.", ApiErrorTypes.Server, "rate_limiter_unavailable"), TimeSpan.FromSeconds(1));
            return null;
        }

        RateLimitHeaders.Write(response, limits);
        if (!limits.Allowed)
        {
            metrics.Refused(limits, tokens);
            await feature.RefuseAsync(response, new ApiError(StatusCodes.Status429TooManyRequests, limits.Reason!,
                ApiErrorTypes.RateLimit, ApiErrorCodes.RateLimitExceeded), limits.RetryAfter);
            return null;
        }

        return limits;
    }

    /// <summary>
    /// The prompt's tokens as estimated at admission: four bytes of body per token (OpenAI's rule of thumb for
    /// English; JSON overhead makes it generous). The completion's ceiling is added for the reservation.
    /// </summary>
    private static int EstimatePromptTokens(int bodyBytes) => bodyBytes / 4;
}
