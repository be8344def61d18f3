using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Resilience;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Pipeline;

/// <summary>
/// The policies an inference request passes, in the order <see cref="PipelineExtensions.AddInferencePipeline"/> lists
/// them, ending in the <see cref="ResilientForwarder"/>. Composed once at start; a request only walks it.
/// </summary>
public sealed class InferencePipeline
{
    private readonly InferenceDelegate _entry;
    private readonly TimeProvider _time;

    internal InferencePipeline(IReadOnlyList<IInferencePolicy> policies, ResilientForwarder forwarder, TimeProvider time)
    {
        _time = time;
        InferenceDelegate next = context => forwarder.ForwardAsync(context.Http, context.Request, context.ForwardedBody ?? context.Body.Memory, context.Route,
            context.RequestTimeout, context.MaxAttempts, context.Feature, context.Capture, context.Responses);
        for (var i = policies.Count - 1; i >= 0; i--)
        {
            var (policy, after) = (policies[i], next);
            next = context => policy.InvokeAsync(context, after);
        }

        _entry = next;
    }

    /// <summary>Gives the request its id (the client's when well-formed) and sends it down the pipeline.</summary>
    public Task HandleAsync(HttpContext http, InferenceOperation operation)
    {
        var feature = GatewayRequestFeature.Begin(http, _time);
        return _entry(new InferenceContext { Http = http, Operation = operation, Feature = feature });
    }
}
