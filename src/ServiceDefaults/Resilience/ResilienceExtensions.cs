using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AiPlatform.ServiceDefaults.Resilience;

/// <summary>
/// Outgoing HTTP defaults for control-plane calls between the platform's services, built on Polly.Core
/// (Microsoft.Extensions.Http.Resilience does not restore here): a total timeout, a per-attempt timeout and
/// retries with jittered exponential backoff for transient failures of idempotent requests.
/// The Gateway's forwarding path does not use these: it decides retries itself, before the first byte.
/// </summary>
public static class ResilienceExtensions
{
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    public const int MaxRetryAttempts = 3;

    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder)
    {
        var pipeline = CreateStandardPipeline();
        return builder.AddHttpMessageHandler(() => new ResilienceHandler(pipeline));
    }

    /// <summary>
    /// Takes the defaults' resilience off this client, for callers that must see each failure as it is
    /// (health probes) or that decide retries themselves.
    /// </summary>
    public static IHttpClientBuilder RemoveResilienceHandlers(this IHttpClientBuilder builder) =>
        builder.ConfigureAdditionalHttpMessageHandlers(static (handlers, _) =>
        {
            for (var i = handlers.Count - 1; i >= 0; i--)
            {
                if (handlers[i] is ResilienceHandler)
                {
                    handlers.RemoveAt(i);
                }
            }
        });

    public static ResiliencePipeline<HttpResponseMessage> CreateStandardPipeline() =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome, args.Context)),
            })
            .AddTimeout(AttemptTimeout)
            .Build();

    private static bool IsRetryable(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (!context.Properties.TryGetValue(ResilienceHandler.RequestKey, out var request) || !IsIdempotent(request.Method))
        {
            return false;
        }

        return outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result: { } response } => IsTransient(response.StatusCode),
            _ => false,
        };
    }

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options ||
        method == HttpMethod.Put || method == HttpMethod.Delete;

    private static bool IsTransient(System.Net.HttpStatusCode status) =>
        (int)status is 408 or 429 or >= 500;
}
