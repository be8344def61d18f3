using System.Globalization;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Resilience;

/// <summary>The answer when no attempt succeeded: the last failure, in OpenAI's error shape.</summary>
internal static class FailureAnswers
{
    public static async Task WriteAsync(HttpContext context, GatewayRequestFeature feature, string model, AttemptOutcome? last, RouteTarget? target,
        IResponseCapture? capture)
    {
        var response = context.Response;
        response.Headers[GatewayHeaders.Attempts] = feature.Attempts.ToString(CultureInfo.InvariantCulture);
        if (target is not null)
        {
            feature.Target = target.Label;
            response.Headers[GatewayHeaders.Target] = target.Label;
        }

        if (last is { Result: AttemptResult.ErrorStatus })
        {
            await PassErrorOnAsync(context, feature, last, capture);
            return;
        }

        var (error, answer) = last?.Result switch
        {
            null => (ForwarderError.NoTargetAvailable, new ApiError(StatusCodes.Status503ServiceUnavailable,
                $"No backend for the model '{model}' is available right now; try again shortly.", ApiErrorTypes.Server, "no_available_target")),
            AttemptResult.Unreachable => (ForwarderError.UpstreamUnreachable, new ApiError(StatusCodes.Status502BadGateway,
                $"No model backend for '{model}' could be reached.", ApiErrorTypes.Server, "upstream_unreachable")),
            AttemptResult.TimedOut => (ForwarderError.UpstreamTimeout, new ApiError(StatusCodes.Status504GatewayTimeout,
                "The model backend did not answer in time.", ApiErrorTypes.Server, "upstream_timeout")),
            _ => (ForwarderError.UpstreamRequestFailed, new ApiError(StatusCodes.Status502BadGateway,
                "The model backend failed before answering.", ApiErrorTypes.Server, "upstream_error")),
        };
        feature.Error = error;
        feature.StatusCode = answer.StatusCode;
        capture?.OnErrorAnswer(answer);
        await answer.WriteAsync(response, last is null ? TimeSpan.FromSeconds(1) : default);
    }

    /// <summary>
    /// Passes an upstream error on: its status for 4xx (and 503/504, which say "try later" and "too slow"), 502 for
    /// other 5xx; its body when it already is an OpenAI error, otherwise wrapped in one.
    /// </summary>
    private static async Task PassErrorOnAsync(HttpContext context, GatewayRequestFeature feature, AttemptOutcome last, IResponseCapture? capture)
    {
        var upstreamStatus = last.Status;
        var status = upstreamStatus is < 500 or 503 or 504 ? upstreamStatus : StatusCodes.Status502BadGateway;
        feature.Error = ForwarderError.UpstreamErrorStatus;
        feature.StatusCode = status;
        if (last.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(0, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (UpstreamErrors.IsOpenAIError(last.ErrorBody))
        {
            capture?.OnErrorAnswer(last.ErrorBody);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(last.ErrorBody, context.RequestAborted);
            return;
        }

        var wrapped = UpstreamErrors.Wrap(status, upstreamStatus, last.ErrorBody);
        capture?.OnErrorAnswer(wrapped);
        await wrapped.WriteAsync(context.Response);
    }
}
