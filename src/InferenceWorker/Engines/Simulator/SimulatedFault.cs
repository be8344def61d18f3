namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>Failures the simulator can be told to show, so that the Gateway's retries and fallbacks can be tested.</summary>
internal enum SimulatedFault
{
    None,
    InternalError,
    RateLimited,
    Unavailable,
    Timeout,
    DropMidStream,
}

internal static class SimulatedFaults
{
    /// <summary>The request header that picks a fault, honoured only with <c>Inference:Simulator:AllowFaultHeader</c>.</summary>
    public const string HeaderName = "aig-sim-fault";

    public const string Names = "none, 500, 429, 503, timeout, drop-mid-stream";

    public static bool TryParse(string? value, out SimulatedFault fault)
    {
        SimulatedFault? parsed = value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "none" => SimulatedFault.None,
            "500" => SimulatedFault.InternalError,
            "429" => SimulatedFault.RateLimited,
            "503" => SimulatedFault.Unavailable,
            "timeout" => SimulatedFault.Timeout,
            "drop-mid-stream" => SimulatedFault.DropMidStream,
            _ => null,
        };
        fault = parsed ?? SimulatedFault.None;
        return parsed.HasValue;
    }
}
