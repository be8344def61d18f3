using System.Buffers;
using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Metrics;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Engines.Vllm;

/// <summary>
/// Fronts an OpenAI-compatible server (vLLM, llama.cpp server, TGI, Ollama): forwards each request's body as it
/// came and relays the answer as it comes, SSE events included, without buffering. The upstream validates what
/// the worker does not (its model names among them) and its errors pass through with their status.
/// </summary>
/// <remarks>
/// Thread-safe; one instance and one connection pool serve all requests. Its <see cref="HttpClient"/> is its own,
/// with no retry and no attempt timeout: a generic retry would replay a generation, and a fixed timeout would cut
/// long ones (hence an idle timeout instead).
/// </remarks>
internal sealed partial class VllmEngine : IInferenceEngine, IDisposable
{
    private const int CopyBufferSize = 16 * 1024;
    private const string OwnedBy = "vllm";

    // RFC 9110 §7.6.1 connection-specific fields, plus framing that Kestrel sets itself.
    private static readonly FrozenSet<string> s_hopByHopHeaders = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Alt-Svc");

    private readonly HttpClient _client;
    private readonly Uri _chatCompletions;
    private readonly Uri _completions;
    private readonly Uri _embeddings;
    private readonly Uri _models;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string? _model;
    private readonly TimeSpan _timeout;
    private readonly WorkerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<VllmEngine> _logger;

    public VllmEngine(IOptions<VllmOptions> options, WorkerMetrics metrics, TimeProvider time, ILogger<VllmEngine> logger)
    {
        var settings = options.Value;
        var apiBase = settings.ApiBase();
        _chatCompletions = new Uri(apiBase, "chat/completions");
        _completions = new Uri(apiBase, "completions");
        _embeddings = new Uri(apiBase, "embeddings");
        _models = new Uri(apiBase, "models");
        _authorization = string.IsNullOrEmpty(settings.ApiKey) ? null : new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        _model = string.IsNullOrWhiteSpace(settings.Model) ? null : settings.Model;
        _timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _client = new HttpClient(CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public bool Serves(string model) => true;

    public Task GenerateAsync(GenerationRequest request, HttpContext context) =>
        ForwardAsync(context, HttpMethod.Post, request.Kind == GenerationKind.Chat ? _chatCompletions : _completions, request.Body);

    public Task EmbedAsync(EmbeddingRequest request, HttpContext context) =>
        ForwardAsync(context, HttpMethod.Post, _embeddings, request.Body);

    public async Task ListModelsAsync(HttpContext context)
    {
        if (_model is null)
        {
            await ForwardAsync(context, HttpMethod.Get, _models, body: null);
            return;
        }

        var response = context.Response;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            OpenAIJson.WriteModels(writer, [(_model, 0L, OwnedBy)]);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// Forwards one request:
    /// 1. builds the upstream request from the body as received, with the upstream's key and none of the client's headers;
    /// 2. sends it, returning at the response headers, under an idle timeout linked to the client's connection;
    /// 3. copies status and end-to-end headers;
    /// 4. relays the body with a pooled buffer, flushing after every read so that SSE events leave as they arrive;
    /// 5. maps failures: before the response started, 502 (unreachable) or 504 (silent) in OpenAI's shape; after, an
    ///    abort, so that a cut answer never looks complete. A client that leaves cancels the upstream request.
    /// </summary>
    private async Task ForwardAsync(HttpContext context, HttpMethod method, Uri target, ReadOnlySequence<byte>? body)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        using var running = _metrics.TrackRunning();

        // The idle timer runs on the injected clock and is re-armed after each read; the client's abort cancels it too.
        using var activity = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var clientGone = aborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), activity);

        // 1.
        using var upstreamRequest = new HttpRequestMessage(method, target);
        if (body is { } content)
        {
            upstreamRequest.Content = new SequenceContent(content);
        }

        upstreamRequest.Headers.Authorization = _authorization;

        // 2.
        HttpResponseMessage upstream;
        try
        {
            activity.CancelAfter(_timeout);
            upstream = await _client.SendAsync(upstreamRequest, HttpCompletionOption.ResponseHeadersRead, activity.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            Log.UpstreamTimedOut(_logger, target.Authority, _timeout.TotalSeconds);
            await UpstreamError(StatusCodes.Status504GatewayTimeout, "The inference upstream did not answer in time.", WorkerErrorCodes.UpstreamTimeout).WriteAsync(response);
            return;
        }
        catch (HttpRequestException exception) when (!aborted.IsCancellationRequested)
        {
            Log.UpstreamUnreachable(_logger, target.Authority, exception.HttpRequestError);
            await UpstreamError(StatusCodes.Status502BadGateway, "The inference upstream could not be reached.", WorkerErrorCodes.UpstreamUnreachable).WriteAsync(response);
            return;
        }

        using (upstream)
        {
            // 3.
            response.StatusCode = (int)upstream.StatusCode;
            CopyHeaders(upstream.Headers, response.Headers);
            CopyHeaders(upstream.Content.Headers, response.Headers);
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            // 4.
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                await using var source = await upstream.Content.ReadAsStreamAsync(activity.Token);
                while (true)
                {
                    activity.CancelAfter(_timeout);
                    var read = await source.ReadAsync(buffer, activity.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    await response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                    await response.Body.FlushAsync(aborted);
                }
            }
            catch (Exception exception) when (!aborted.IsCancellationRequested)
            {
                // 5.
                Log.UpstreamFailedMidResponse(_logger, target.Authority, exception.GetType().Name);
                context.Abort();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static void CopyHeaders(HttpHeaders from, IHeaderDictionary to)
    {
        foreach (var (name, values) in from.NonValidated)
        {
            if (!s_hopByHopHeaders.Contains(name))
            {
                to[name] = values.Count == 1 ? values.ToString() : values.ToArray();
            }
        }
    }

    private static ApiError UpstreamError(int status, string message, string code) => new(status, message, ApiErrorTypes.Server, code);

    /// <summary>YARP's forwarding settings: no proxy, redirects, cookies or decompression; pooled, recycled connections.</summary>
    private static SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        // Recycled now and then so that a GPU host whose address changes is found again.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private static partial class Log
    {
        [LoggerMessage(LogEvents.UpstreamUnreachable, LogLevel.Warning, "Inference upstream {Authority} unreachable ({Error}).")]
        public static partial void UpstreamUnreachable(ILogger logger, string authority, HttpRequestError error);

        [LoggerMessage(LogEvents.UpstreamTimedOut, LogLevel.Warning, "Inference upstream {Authority} silent for {TimeoutSeconds} s.")]
        public static partial void UpstreamTimedOut(ILogger logger, string authority, double timeoutSeconds);

        [LoggerMessage(LogEvents.UpstreamFailedMidResponse, LogLevel.Warning, "Inference upstream {Authority} failed mid-response ({Exception}); connection aborted.")]
        public static partial void UpstreamFailedMidResponse(ILogger logger, string authority, string exception);
    }
}
