using AiPlatform.ServiceDefaults.Hosting;
using System.Net.Http.Headers;
using AiPlatform.InferenceWorker.Engines.Vllm;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace AiPlatform.InferenceWorker.Announcement;

/// <summary>
/// Reads the vLLM server's own load from its Prometheus <c>/metrics</c> (beside <c>/v1</c>), for the announcement: the
/// server may have clients other than this worker, and only it knows its KV-cache use.
/// </summary>
/// <remarks>
/// Called by one loop at a time. Its <see cref="HttpClient"/> is its own, without the factory's per-request logs; a
/// read that fails or times out yields null, logged once per outage.
/// </remarks>
internal sealed partial class VllmMetricsReader : IDisposable
{
    // vLLM's /metrics is tens of kB (histograms per model); anything far larger is not it.
    private const int MaxResponseBytes = 4 * 1024 * 1024;

    private readonly HttpClient _client;
    private readonly Uri _metrics;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly TimeProvider _time;
    private readonly ILogger<VllmMetricsReader> _logger;
    private readonly Outage _outage = new();

    public VllmMetricsReader(IOptions<VllmOptions> options, TimeProvider time, ILogger<VllmMetricsReader> logger)
    {
        var settings = options.Value;
        _metrics = new Uri(settings.ApiBase(), "../metrics");
        // Sent because a proxy in front of the server may guard every path; vLLM's own --api-key guards /v1 only.
        _authorization = string.IsNullOrEmpty(settings.ApiKey) ? null : new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        _time = time;
        _logger = logger;
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    /// <summary>vLLM's load, or null when it cannot be read within <paramref name="timeout"/> or is not vLLM's.</summary>
    public async Task<VllmLoad?> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        // Not traced: a scrape every beat would add a trace a second that nobody asked for.
        using var untraced = SuppressInstrumentationScope.Begin();
        string problem;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _metrics);
            request.Headers.Authorization = _authorization;
            using var response = await _client.SendAsync(request, linked.Token);
            if (response.IsSuccessStatusCode)
            {
                if (VllmMetricsText.TryParse(await response.Content.ReadAsStringAsync(linked.Token), out var load))
                {
                    if (_outage.Succeeds())
                    {
                        Log.Readable(_logger, _metrics);
                    }

                    return load;
                }

                problem = "no vllm:num_requests_* gauges";
            }
            else
            {
                problem = $"status {(int)response.StatusCode}";
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            problem = exception is OperationCanceledException ? $"no answer within {timeout.TotalMilliseconds} ms" : exception.Message;
        }

        if (_outage.Fails())
        {
            Log.Unreadable(_logger, _metrics, problem);
        }

        return null;
    }

    public void Dispose() => _client.Dispose();

    private static partial class Log
    {
        [LoggerMessage(LogEvents.VllmMetricsUnreadable, LogLevel.Warning,
            "Cannot read vLLM's load from {Url} ({Problem}); the announcement carries the worker's own figures until it can.")]
        public static partial void Unreadable(ILogger logger, Uri url, string problem);

        [LoggerMessage(LogEvents.VllmMetricsReadable, LogLevel.Information, "vLLM's load is readable again at {Url}.")]
        public static partial void Readable(ILogger logger, Uri url);
    }
}
