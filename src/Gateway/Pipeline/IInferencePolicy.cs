namespace AiPlatform.Gateway.Pipeline;

/// <summary>The rest of the pipeline after a policy.</summary>
public delegate Task InferenceDelegate(InferenceContext context);

/// <summary>
/// One step of an inference request's way through the Gateway (authentication, limits, the cache …). It ends the
/// request itself (an error, a cached answer) or calls <c>next</c>, and may act around it, as YARP's proxy pipeline
/// steps do. One instance serves every request.
/// </summary>
public interface IInferencePolicy
{
    Task InvokeAsync(InferenceContext context, InferenceDelegate next);
}
