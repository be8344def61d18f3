using AiPlatform.Gateway.Pipeline;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// From here the request has reached the model stage and gets a ledger record, written after the response is sent
/// (so the client never waits for it), whatever the answer was. For a key with <c>log_payloads</c> the answer is
/// captured on its way, and the record carries it with the request body.
/// </summary>
public sealed class UsagePolicy(UsageRecorder usage) : IInferencePolicy
{
    public Task InvokeAsync(InferenceContext context, InferenceDelegate next)
    {
        var payload = usage.CapturePayloadOf(context);
        if (payload is not null)
        {
            context.AddCapture(payload);
        }

        context.Http.Response.OnCompleted(() =>
        {
            var feature = context.Feature;
            if (feature.StatusCode == 0)
            {
                // The client left before any answer was chosen; nginx's convention for "client closed request".
                feature.StatusCode = 499;
            }

            // The pooled body is still there: RequestPolicy registered its disposal earlier, and completion callbacks run
            // last registered first.
            return usage.RecordAsync(feature, context.ClientIp, context.Metadata, context.PromptEstimate, payload?.Complete(context.Body.Span));
        });
        return next(context);
    }
}
