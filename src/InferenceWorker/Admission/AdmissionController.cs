using System.Globalization;
using System.Threading.RateLimiting;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Metrics;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Admission;

/// <summary>
/// Bounds the work in the worker whatever the engine: at most <c>MaxRunning</c> requests run, at most
/// <c>MaxWaiting</c> wait in arrival order, and any more are refused at once with a 503 that tells the Gateway to try
/// another replica (an unbounded queue would only turn overload into timeouts).
/// </summary>
/// <remarks>
/// Thread-safe. Built on <see cref="ConcurrencyLimiter"/> with <see cref="QueueProcessingOrder.OldestFirst"/>: FIFO,
/// and a waiter whose token is cancelled (the client went away) leaves the queue and frees its place.
/// </remarks>
internal sealed partial class AdmissionController : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly WorkerMetrics _metrics;
    private readonly ILogger<AdmissionController> _logger;
    private readonly string _retryAfter;
    private readonly int _maxRunning;
    private readonly int _maxWaiting;

    public AdmissionController(IOptions<AdmissionOptions> options, WorkerMetrics metrics, ILogger<AdmissionController> logger)
    {
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxRunning,
            QueueLimit = options.Value.MaxWaiting,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _metrics = metrics;
        _logger = logger;
        _retryAfter = options.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        _maxRunning = options.Value.MaxRunning;
        _maxWaiting = options.Value.MaxWaiting;
    }

    /// <summary>
    /// The requests admitted (running, whatever the engine does with them) and queued for admission now, with the bounds;
    /// a moment's snapshot for the worker's announcement.
    /// </summary>
    public AdmissionLoad Load
    {
        get
        {
            var statistics = _limiter.GetStatistics();
            return statistics is null
                ? new AdmissionLoad(0, 0, _maxRunning, _maxWaiting)
                : new AdmissionLoad(_maxRunning - (int)statistics.CurrentAvailablePermits, (int)statistics.CurrentQueuedCount, _maxRunning, _maxWaiting);
        }
    }

    /// <summary>
    /// Waits for a place to run. The lease says whether one was given (<see cref="RateLimitLease.IsAcquired"/>) and
    /// must be disposed when the request ends. Throws <see cref="OperationCanceledException"/> if the token is cancelled
    /// while waiting.
    /// </summary>
    public async ValueTask<RateLimitLease> AdmitAsync(CancellationToken cancellationToken)
    {
        // The common case, a free place, without an async state machine's queueing.
        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        using (_metrics.TrackWaiting())
        {
            lease = await _limiter.AcquireAsync(1, cancellationToken);
        }

        if (!lease.IsAcquired)
        {
            _metrics.AddRejected();
            Log.Rejected(_logger);
        }

        return lease;
    }

    /// <summary>The 503 for a refused request: OpenAI's error shape and <c>Retry-After</c>.</summary>
    public ApiErrorResult Reject(HttpResponse response)
    {
        response.Headers.RetryAfter = _retryAfter;
        return new ApiErrorResult(new ApiError(StatusCodes.Status503ServiceUnavailable,
            "The worker is at capacity: too many requests are running and waiting. Retry later or on another replica.",
            ApiErrorTypes.Server, WorkerErrorCodes.ServerOverloaded));
    }

    public void Dispose() => _limiter.Dispose();

    private static partial class Log
    {
        [LoggerMessage(LogEvents.AdmissionRejected, LogLevel.Warning, "Request refused: the admission queue is full.")]
        public static partial void Rejected(ILogger logger);
    }
}
