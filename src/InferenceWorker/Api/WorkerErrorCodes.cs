namespace AiPlatform.InferenceWorker.Api;

/// <summary>Error <c>code</c> values of the worker's own errors, beside the platform's <c>ApiErrorCodes</c>.</summary>
internal static class WorkerErrorCodes
{
    public const string ServerOverloaded = "server_overloaded";
    public const string UpstreamUnreachable = "upstream_unreachable";
    public const string UpstreamTimeout = "upstream_timeout";
    public const string SimulatedFault = "simulated_fault";
}
