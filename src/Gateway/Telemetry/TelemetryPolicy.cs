using System.Diagnostics;
using System.Globalization;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Pipeline;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Telemetry;

/// <summary>
/// Gives a request that reached the model stage its GenAI span (<c>chat {model}</c>, a client span in the GenAI
/// conventions, parent of each attempt's HTTP span, so the trace runs on into the worker or provider) and its GenAI
/// metrics. The answer's id, model and finish reasons are read as it passes, only when the span is recorded; prompts
/// and answers go on the span only with <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true</c>. Never the key:
/// the span names the key by its id.
/// </summary>
public sealed class TelemetryPolicy(GenAiMetrics metrics, IConfiguration configuration, IOptions<UsageOptions> usage, TimeProvider time) : IInferencePolicy
{
    private static readonly ActivitySource s_source = new(GatewayMeter.Name);

    private readonly bool _captureContent = configuration.GetValue<bool>(KnownConfigNames.CaptureGenAiMessageContent);

    public async Task InvokeAsync(InferenceContext context, InferenceDelegate next)
    {
        var request = context.Request;
        var operation = GenAiAttributes.OperationNameOf(request.Operation);
        using var activity = s_source.StartActivity(operation, ActivityKind.Client);
        GenAiResponseCapture? answer = null;
        PayloadCapture? content = null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = operation + " " + request.Model;
            activity.SetTag(GenAiAttributes.OperationName, operation);
            activity.SetTag(GenAiAttributes.RequestModel, request.Model);
            activity.SetTag(GenAiAttributes.RequestMaxTokens, request.MaxTokens);
            activity.SetTag(GenAiAttributes.KeyId, context.Key.Id);
            activity.SetTag(GenAiAttributes.RequestId, context.Feature.RequestId);
            answer = new GenAiResponseCapture();
            context.AddCapture(answer);
            if (_captureContent)
            {
                content = new PayloadCapture(request.Operation, request.Stream, usage.Value.PayloadMaxChars);
                context.AddCapture(content);
            }
        }

        try
        {
            await next(context);
        }
        finally
        {
            Record(context, operation, activity, answer, content);
        }
    }

    private void Record(InferenceContext context, string operation, Activity? activity, GenAiResponseCapture? answer, PayloadCapture? content)
    {
        var (request, feature) = (context.Request, context.Feature);
        var elapsedTicks = time.GetTimestamp() - feature.StartTimestamp;
        var cacheStatus = CacheStatusOf(context.Http.Response);
        var errorType = feature.ErrorCode() ?? (feature.StatusCode is >= 400 or 0 ? StatusText(feature.StatusCode) : null);
        var target = feature.AnsweringTarget;
        var provider = target?.GenAiProvider ?? GenAiAttributes.DefaultProvider;
        var responseModel = answer?.Model ?? feature.ServedModel ?? request.Model;

        var tags = new TagList
        {
            { GenAiAttributes.OperationName, operation },
            { GenAiAttributes.ProviderName, provider },
            { GenAiAttributes.RequestModel, request.Model },
            { GenAiAttributes.ResponseModel, responseModel },
        };
        if (target is not null)
        {
            tags.Add(GenAiAttributes.ServerAddress, target.ServerAddress);
        }

        if (cacheStatus is not null)
        {
            tags.Add(GenAiAttributes.CacheStatus, cacheStatus);
            metrics.CacheLookup(cacheStatus, request.Model);
        }

        if (errorType is not null)
        {
            tags.Add(GenAiAttributes.ErrorType, errorType);
        }

        var frequency = (double)time.TimestampFrequency;
        var timeToFirstToken = request.Stream && errorType is null ? feature.TimeToFirstByte?.TotalSeconds : null;
        metrics.Record(tags, elapsedTicks / frequency, timeToFirstToken, feature.Usage?.PromptTokens, feature.Usage?.CompletionTokens);
        if (feature.Attempts > 0)
        {
            metrics.Overhead(Math.Max(elapsedTicks - feature.UpstreamTicks, 0) / frequency, operation);
        }

        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag(GenAiAttributes.ProviderName, provider);
        activity.SetTag(GenAiAttributes.System, provider);
        activity.SetTag(GenAiAttributes.ResponseModel, responseModel);
        activity.SetTag(GenAiAttributes.ResponseId, answer?.Id);
        activity.SetTag(GenAiAttributes.ResponseFinishReasons, answer?.FinishReasons is { } reasons ? reasons.ToArray() : null);
        activity.SetTag(GenAiAttributes.InputTokens, feature.Usage?.PromptTokens);
        activity.SetTag(GenAiAttributes.OutputTokens, feature.Usage?.CompletionTokens);
        activity.SetTag(GenAiAttributes.ServerAddress, target?.ServerAddress);
        activity.SetTag(GenAiAttributes.ServerPort, target?.BaseAddress.Port);
        activity.SetTag(GenAiAttributes.Target, feature.Target);
        activity.SetTag(GenAiAttributes.Attempts, feature.Attempts);
        activity.SetTag(GenAiAttributes.CacheStatus, cacheStatus);
        if (errorType is not null)
        {
            activity.SetTag(GenAiAttributes.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error, errorType);
        }

        if (content is not null)
        {
            activity.SetTag(GenAiAttributes.InputMessages, GenAiMessages.Input(request.Operation, context.Body.Span));
            if (errorType is null && content.Answer() is { } text)
            {
                activity.SetTag(GenAiAttributes.OutputMessages, GenAiMessages.Output(text, answer?.FinishReasons));
            }
        }
    }

    /// <summary>The cache's verdict from its response header, in lower case; null when the cache did not see the request.</summary>
    private static string? CacheStatusOf(HttpResponse response) => response.Headers[CacheHeaders.Status].ToString() switch
    {
        CacheHeaders.Hit => "hit",
        CacheHeaders.Miss => "miss",
        CacheHeaders.Bypass => "bypass",
        _ => null,
    };

    /// <summary>No answer was chosen (0) when the client left first; otherwise the status the Gateway answered with.</summary>
    private static string StatusText(int status) => status == 0 ? "client_disconnected" : status.ToString(CultureInfo.InvariantCulture);
}
