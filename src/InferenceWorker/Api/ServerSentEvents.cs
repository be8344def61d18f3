using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace AiPlatform.InferenceWorker.Api;

/// <summary>
/// Frames OpenAI's stream: each event is <c>data: {json}\n\n</c>, written straight into the response's pipe and
/// flushed on its own so that it leaves as soon as it is made; the stream ends with <c>data: [DONE]\n\n</c>.
/// </summary>
/// <remarks>One per response; not thread-safe.</remarks>
internal sealed class ServerSentEvents : IDisposable
{
    private readonly PipeWriter _output;
    private readonly Utf8JsonWriter _json;

    public ServerSentEvents(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        _output = response.BodyWriter;
        _json = new Utf8JsonWriter(_output);
    }

    /// <summary>Starts an event; write one JSON value to the returned writer, then call <see cref="EndEventAsync"/>.</summary>
    public Utf8JsonWriter BeginEvent()
    {
        _output.Write("data: "u8);
        return _json;
    }

    public ValueTask<FlushResult> EndEventAsync(CancellationToken cancellationToken)
    {
        _json.Flush();
        _json.Reset();
        _output.Write("\n\n"u8);
        return _output.FlushAsync(cancellationToken);
    }

    public ValueTask<FlushResult> WriteDoneAsync(CancellationToken cancellationToken)
    {
        _output.Write("data: [DONE]\n\n"u8);
        return _output.FlushAsync(cancellationToken);
    }

    public void Dispose() => _json.Dispose();
}
