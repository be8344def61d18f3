using AiPlatform.InferenceWorker.Api;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// Decides which fault a request meets and plays the ones that end it before any generation: an error status
/// (500, 429, 503) or a server that never answers. <c>drop-mid-stream</c> is played by the answer writer, which
/// knows when the stream is in the middle.
/// </summary>
internal sealed partial class FaultInjector(SimulatorOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>How long the <c>timeout</c> fault holds a request before dropping it, so that a forgotten client cannot pin it forever.</summary>
    public static readonly TimeSpan TimeoutCap = TimeSpan.FromMinutes(10);

    private readonly SimulatedFault _configured = SimulatedFaults.TryParse(options.Fault, out var fault) ? fault : SimulatedFault.None;

    /// <summary>
    /// The request's <c>aig-sim-fault</c> header when the configuration allows the header (it is ignored otherwise),
    /// else the configured fault for the share <see cref="SimulatorOptions.FaultRate"/> of requests, drawn per request.
    /// A header value outside the list is a 400.
    /// </summary>
    public bool TryResolve(HttpRequest request, out SimulatedFault fault, out ApiError? error)
    {
        error = null;
        if (!options.AllowFaultHeader || !request.Headers.TryGetValue(SimulatedFaults.HeaderName, out var values))
        {
            // NextDouble is in [0, 1): a rate of 1 always faults, 0 never.
            fault = _configured != SimulatedFault.None && Random.Shared.NextDouble() < options.FaultRate ? _configured : SimulatedFault.None;
            return true;
        }

        if (SimulatedFaults.TryParse(values.ToString(), out fault))
        {
            return true;
        }

        error = ApiError.BadRequest($"The {SimulatedFaults.HeaderName} header must be one of {SimulatedFaults.Names}.");
        return false;
    }

    /// <summary>Plays a fault that ends the request before generation; returns whether it did.</summary>
    public async ValueTask<bool> TryEndEarlyAsync(SimulatedFault fault, HttpContext context)
    {
        var response = context.Response;
        ApiError error;
        switch (fault)
        {
            case SimulatedFault.InternalError:
                error = ApiError.Internal() with { Code = WorkerErrorCodes.SimulatedFault };
                break;
            case SimulatedFault.RateLimited:
                response.Headers.RetryAfter = "1";
                error = new ApiError(StatusCodes.Status429TooManyRequests, "Simulated fault: rate limit reached.",
                    ApiErrorTypes.RateLimit, ApiErrorCodes.RateLimitExceeded);
                break;
            case SimulatedFault.Unavailable:
                response.Headers.RetryAfter = "1";
                error = new ApiError(StatusCodes.Status503ServiceUnavailable, "Simulated fault: the server is unavailable.",
                    ApiErrorTypes.Server, WorkerErrorCodes.SimulatedFault);
                break;
            case SimulatedFault.Timeout:
                Log.Injected(logger, fault);
                await Task.Delay(TimeoutCap, time, context.RequestAborted);
                context.Abort();
                return true;
            default:
                return false;
        }

        Log.Injected(logger, fault);
        await error.WriteAsync(response);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SimulatedFault, LogLevel.Debug, "Simulated fault {Fault}.")]
        public static partial void Injected(ILogger logger, SimulatedFault fault);
    }
}
