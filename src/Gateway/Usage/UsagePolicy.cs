using AiPlatform.Gateway.Pipeline;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// From here the request has reached the model stage and gets a ledger record, written after the response is sent
/// (so the client never waits for it), whatever the answer was.
/// </summary>
public sealed class UsagePolicy(UsageRecorder usage) : IInferencePolicy
{
    public Task InvokeAsync(InferenceContext context, InferenceDelegate next)
    {
        context.Http.Response.OnCompleted(() =>
        {
            var feature = context.Feature;
            if (feature.StatusCode == 0)
            {
                // The client left before any answer was chosen; nginx's convention for "client closed request".
                feature.StatusCode = 499;
            }

            return usage.RecordAsync(feature, context.ClientIp, context.Metadata, context.PromptEstimate);
        });
        return next(context);
    }
}
