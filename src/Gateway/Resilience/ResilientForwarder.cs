using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Responses;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Usage;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Resilience;

/// <summary>
/// Forwards a request to its model's targets with retries and fallbacks, all before the first byte of the answer:
/// a retryable failure (see <see cref="RetryRules"/>) moves on to another target, then to the fallback models, within
/// the request's attempts (<c>aig-max-attempts</c>) and its overall time (<c>aig-request-timeout</c>). Every outcome
/// feeds the target's outlier ejection and its recent figures. Once an answer has started nothing is retried.
/// </summary>
public sealed class ResilientForwarder(
    UpstreamForwarder forwarder,
    ModelCatalog catalog,
    IOptions<ResilienceOptions> options,
    IOptions<ForwardingOptions> forwarding,
    ResilienceMetrics metrics,
    TimeProvider time,
    ILogger<ResilientForwarder> logger)
{
    public async Task ForwardAsync(HttpContext context, InferenceRequest request, ReadOnlyMemory<byte> body, ModelRoute route,
        TimeSpan? requestTimeout, int maxAttempts, GatewayRequestFeature feature, IResponseCapture? capture = null, ResponsesExchange? responses = null)
    {
        var settings = options.Value;
        var budget = requestTimeout ?? forwarding.Value.ResponseTimeout;
        var plan = new AttemptPlan(route, catalog, (long)(settings.RetryAfterCap.TotalSeconds * time.TimestampFrequency));
        AttemptOutcome? last = null;
        RouteTarget? lastTarget = null;
        var attempts = 0;
        while (attempts < maxAttempts)
        {
            var now = time.GetTimestamp();
            if (!plan.TryNext(now, out var model, out var target))
            {
                break;
            }

            var probe = false;
            if (!plan.Panic && !target.State.Circuit.TryEnter(now, out probe))
            {
                // Another request took the ejected target's half-open probe first.
                continue;
            }

            var delay = Delay(plan, target, attempts, settings, now);
            var remaining = budget - time.GetElapsedTime(feature.StartTimestamp);
            if (delay >= remaining)
            {
                target.State.Circuit.OnNeutral();
                break;
            }

            if (delay > TimeSpan.Zero && !await WaitAsync(delay, context.RequestAborted))
            {
                target.State.Circuit.OnNeutral();
                feature.Error = ForwarderError.ClientDisconnected;
                return;
            }

            feature.Attempts = ++attempts;
            if (attempts > 1)
            {
                metrics.Retried(target.Label, model.Name != route.Name);
                ResilienceLog.Retrying(logger, target.Label, attempts, Describe(last!));
            }

            // The attempt's own duration, for the target's figures: from after any backoff.
            var started = delay > TimeSpan.Zero ? time.GetTimestamp() : now;
            var outcome = await SendAsync(context, request, body, model, target, attempts, feature, capture, budget - time.GetElapsedTime(feature.StartTimestamp),
                responses);
            var finished = time.GetTimestamp();
            feature.UpstreamTicks += finished - started;
            Account(target, outcome, probe, started, finished);
            if (outcome.Result is AttemptResult.Delivered or AttemptResult.ClientLeft)
            {
                if (outcome.Result == AttemptResult.ClientLeft)
                {
                    feature.Error = ForwarderError.ClientDisconnected;
                }

                return;
            }

            (last, lastTarget) = (outcome, target);
            if (RetryRules.IsContextLengthExceeded(outcome))
            {
                if (!plan.SwitchToContextWindowFallbacks(model))
                {
                    break;
                }

                continue;
            }

            if (!RetryRules.IsRetryable(outcome))
            {
                break;
            }

            if (outcome is { Status: 429, RetryAfter: { } retryAfter } && retryAfter > TimeSpan.Zero)
            {
                // Retry-After counts from the answer's arrival (RFC 9110 §10.2.3), not from when the attempt started.
                target.State.CoolDown(time.GetTimestamp() + (long)(retryAfter.TotalSeconds * time.TimestampFrequency));
            }
        }

        ResilienceLog.GaveUp(logger, request.Model, attempts, last is null ? "no target available" : Describe(last));
        await FailureAnswers.WriteAsync(context, feature, request.Model, last, lastTarget, capture);
    }

    private async Task<AttemptOutcome> SendAsync(HttpContext context, InferenceRequest request, ReadOnlyMemory<byte> body, ModelRoute model,
        RouteTarget target, int number, GatewayRequestFeature feature, IResponseCapture? capture, TimeSpan remaining, ResponsesExchange? responses)
    {
        // A Responses request goes as the client sent it to a target that serves the Responses API, translated to the others.
        if (responses is not null)
        {
            responses.Body.Translates = !target.NativeResponses;
            (request, body) = target.NativeResponses ? (responses.Original, responses.OriginalBody) : (request, body);
        }

        // Per target, since targets may name the model differently.
        using var upstreamBody = UpstreamBody.Create(body, request, target.UpstreamModel);
        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        var attempt = new UpstreamAttempt
        {
            Request = request,
            Target = target,
            Model = model.Name,
            Body = upstreamBody.Content,
            Number = number,
            Feature = feature,
            Capture = capture,
            Timeout = timeout,
        };
        var timeToFirstByte = remaining < forwarding.Value.ResponseTimeout ? remaining : forwarding.Value.ResponseTimeout;
        target.State.Enter();
        try
        {
            return await forwarder.SendAsync(context, attempt, timeToFirstByte);
        }
        finally
        {
            target.State.Exit();
        }
    }

    /// <summary>Feeds the outcome to the target's outlier ejection and to its figures of the last minute.</summary>
    private void Account(RouteTarget target, AttemptOutcome outcome, bool probe, long started, long now)
    {
        var circuit = target.State.Circuit;
        if (outcome.Result != AttemptResult.ClientLeft)
        {
            // A client that left tells nothing of the target, not even how long it would have taken.
            target.State.Recent.Record(now, now - started, RetryRules.IsFailure(outcome));
        }

        switch (RetryRules.HealthVerdict(outcome))
        {
            case true:
                circuit.OnSuccess(now);
                if (probe)
                {
                    ResilienceLog.Readmitted(logger, target.Label);
                }

                break;
            case false when circuit.OnFailure(now, out var ejection):
                metrics.Ejected(target.Label);
                ResilienceLog.Ejected(logger, target.Label, ejection, Describe(outcome));
                break;
            case null:
                circuit.OnNeutral();
                break;
        }
    }

    /// <summary>
    /// None before a target not tried yet; exponential backoff with full jitter before one tried before; at least the
    /// time left of a 429's <c>Retry-After</c>, when that is within the cap (a longer one keeps the target unavailable).
    /// </summary>
    private TimeSpan Delay(AttemptPlan plan, RouteTarget target, int attemptsMade, ResilienceOptions settings, long now)
    {
        var delay = TimeSpan.Zero;
        if (plan.Revisiting && attemptsMade > 0)
        {
            var ceiling = Math.Min(settings.BackoffMax.Ticks, settings.BackoffBase.Ticks * (1L << Math.Min(attemptsMade - 1, 20)));
            delay = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * ceiling));
        }

        var coolDown = target.State.CoolDownUntil - now;
        if (coolDown > 0)
        {
            var wait = TimeSpan.FromSeconds(coolDown / (double)time.TimestampFrequency);
            delay = wait <= settings.RetryAfterCap && wait > delay ? wait : delay;
        }

        return delay;
    }

    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string Describe(AttemptOutcome outcome) => outcome.Result switch
    {
        AttemptResult.ErrorStatus => $"status {outcome.Status}",
        _ => outcome.Reason is { } reason ? $"{outcome.Result}: {reason}" : outcome.Result.ToString(),
    };
}
