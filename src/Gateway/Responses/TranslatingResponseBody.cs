using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using AiPlatform.Gateway.Streaming;
using Microsoft.AspNetCore.Http.Features;

namespace AiPlatform.Gateway.Responses;

/// <summary>
/// The response body of a Responses request that went to a chat completions target: whatever writes the chat answer
/// (the relay, the cache replaying a hit, as JSON or as chunks) writes it here, and the client gets it as the Responses
/// API's answer. A success as JSON is kept until <see cref="FinishAsync"/> and then translated whole; a stream is
/// translated event by event at each flush, so tokens reach the client as they come. An error answer passes unchanged:
/// its shape is the same in both APIs. One request's; not thread-safe.
/// </summary>
public sealed class TranslatingResponseBody : PipeWriter, IHttpResponseBodyFeature
{
    private readonly HttpResponse _response;
    private readonly IHttpResponseBodyFeature _inner;
    private readonly JsonElement _request;
    private readonly ArrayBufferWriter<byte> _pending = new(16 * 1024);
    private ChatStreamTranslator? _stream;
    private Mode _mode;

    internal TranslatingResponseBody(HttpResponse response, IHttpResponseBodyFeature inner, JsonElement request)
    {
        (_response, _inner, _request) = (response, inner, request);
        Stream = AsStream();
    }

    private enum Mode
    {
        Undecided,
        PassThrough,
        Json,
        Stream,
    }

    public Stream Stream { get; }

    /// <summary>False while the attempt in flight is at a target that answers in the Responses API itself: its answer passes as it is.</summary>
    public bool Translates { get; set; } = true;

    public PipeWriter Writer => this;

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A Responses answer is never a file.");

    public Task CompleteAsync() => _inner.CompleteAsync();

    public override void Advance(int bytes) => _pending.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

    public override void CancelPendingFlush() => _inner.Writer.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
    }

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Decide();
        switch (_mode)
        {
            case Mode.PassThrough:
                // The inner writer copies before it awaits: the held bytes can go once it returns.
                var passed = await _inner.Writer.WriteAsync(_pending.WrittenMemory, cancellationToken);
                _pending.ResetWrittenCount();
                return passed;
            case Mode.Stream:
                var consumed = TranslateEvents(_pending.WrittenSpan, out var translated);
                Keep(consumed);
                return await _inner.Writer.WriteAsync(translated, cancellationToken);
            default:
                // JSON: the whole answer is needed to translate it; FinishAsync writes it.
                return new FlushResult(isCanceled: false, isCompleted: false);
        }
    }

    /// <summary>After the answer has been written: translates a JSON answer and sends what is still held.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        Decide();
        if (_mode == Mode.Json && _pending.WrittenCount > 0)
        {
            var answer = ChatAnswerTranslator.Translate(_pending.WrittenSpan, _request);
            _pending.ResetWrittenCount();
            if (answer is not null)
            {
                _response.ContentLength = answer.Length;
                await _inner.Writer.WriteAsync(answer, cancellationToken);
                return;
            }
        }

        await FlushAsync(cancellationToken);
    }

    private void Decide()
    {
        if (_mode != Mode.Undecided || !_response.HasStarted && _pending.WrittenCount == 0)
        {
            return;
        }

        _mode = _response.StatusCode != StatusCodes.Status200OK || !Translates ? Mode.PassThrough
            : string.Equals(_response.ContentType?.Split(';')[0].Trim(), "text/event-stream", StringComparison.OrdinalIgnoreCase) ? Mode.Stream
            : Mode.Json;
        if (_mode == Mode.Stream)
        {
            _stream = new ChatStreamTranslator(_request);
        }
        else if (_mode == Mode.Json)
        {
            // The chat answer's length is not the translation's.
            _response.ContentLength = null;
        }
    }

    /// <summary>Translates the complete chat events at the start of <paramref name="chat"/>; returns the bytes they took.</summary>
    private int TranslateEvents(ReadOnlySpan<byte> chat, out ReadOnlyMemory<byte> translated)
    {
        var output = new ArrayBufferWriter<byte>(chat.Length * 2 + 256);
        var consumed = 0;
        while (true)
        {
            var rest = chat[consumed..];
            var end = rest.IndexOf("\n\n"u8);
            if (end < 0)
            {
                break;
            }

            var data = SseEventScanner.DataOf(rest[..end]);
            if (data.SequenceEqual("[DONE]"u8))
            {
                _stream!.Complete(output);
            }
            else if (data.StartsWith("{\"error\""u8))
            {
                WriteError(output, data);
            }
            else if (!data.IsEmpty)
            {
                _stream!.OnChunk(data, output);
            }

            consumed += end + 2;
        }

        translated = output.WrittenMemory;
        return consumed;
    }

    /// <summary>
    /// A mid-stream failure (<c>data: {"error": …}</c>, as the relay writes it before it aborts) as the Responses stream's
    /// <c>error</c> event.
    /// </summary>
    private static void WriteError(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        using var document = JsonDocument.Parse(data.ToArray());
        var error = document.RootElement.GetProperty("error");
        output.Write("event: error\ndata: "u8);
        using (var writer = new Utf8JsonWriter(output, ResponseObject.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error");
            writer.WritePropertyName("code"u8);
            (error.TryGetProperty("code", out var code) ? code : default).WriteNullOr(writer);
            writer.WritePropertyName("message"u8);
            (error.TryGetProperty("message", out var message) ? message : default).WriteNullOr(writer);
            writer.WriteNull("param"u8);
            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    private void Keep(int consumed)
    {
        var rest = _pending.WrittenSpan[consumed..].ToArray();
        _pending.ResetWrittenCount();
        _pending.Write(rest);
    }
}

internal static class JsonElementWriting
{
    /// <summary>Writes the value, or null when there is none.</summary>
    public static void WriteNullOr(this JsonElement value, Utf8JsonWriter writer)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
