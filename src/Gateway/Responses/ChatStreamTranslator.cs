using System.Buffers;
using System.Text.Json;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Responses;

/// <summary>
/// A streamed chat completion as the Responses API's event stream: <c>response.created</c> and
/// <c>response.in_progress</c> at the first chunk, then the message's <c>output_item.added</c>, <c>content_part.added</c>
/// and <c>output_text.delta</c> events, each function call's item and <c>function_call_arguments.delta</c> events, and at
/// the end the <c>.done</c> events and <c>response.completed</c> with usage. One stream's; not thread-safe.
/// </summary>
internal sealed class ChatStreamTranslator(JsonElement request)
{
    private static readonly JsonEncodedText s_textField = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText s_deltaField = JsonEncodedText.Encode("delta");

    private readonly ResponseObject _response = new(request);
    private readonly Dictionary<int, ResponseObject.FunctionCall> _callsByIndex = [];
    private int _sequence;
    private bool _started;
    private bool _messageOpen;

    /// <summary>Feeds one chunk's <c>data</c> (not <c>[DONE]</c>) and writes the events it makes.</summary>
    public void OnChunk(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(data.ToArray());
        var chunk = document.RootElement;
        if (chunk.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (!_started)
        {
            _started = true;
            _response.Identify(ChatAnswerTranslator.StringOf(chunk, "id"),
                chunk.TryGetProperty("created", out var created) && created.TryGetInt64(out var at) ? at : 0, ChatAnswerTranslator.StringOf(chunk, "model"));
            Write(output, "response.created", writer => WriteResponse(writer, "in_progress"));
            Write(output, "response.in_progress", writer => WriteResponse(writer, "in_progress"));
        }

        if (UsageReader.TryRead(data, out var usage, out _))
        {
            _response.Usage = usage;
        }

        if (!chunk.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0
            || choices[0] is not { ValueKind: JsonValueKind.Object } choice)
        {
            return;
        }

        if (ChatAnswerTranslator.StringOf(choice, "finish_reason") is { } finishReason)
        {
            _response.FinishReason = finishReason;
        }

        if (!choice.TryGetProperty("delta", out var delta) || delta.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (ChatAnswerTranslator.StringOf(delta, "content") is { Length: > 0 } text)
        {
            AppendText(text, output);
        }

        if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                AppendCall(call, output);
            }
        }
    }

    /// <summary>Ends the stream (at <c>[DONE]</c>): closes the open items and writes <c>response.completed</c> (or <c>.incomplete</c>).</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            _response.Identify(null, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), null);
            Write(output, "response.created", writer => WriteResponse(writer, "in_progress"));
        }

        if (_messageOpen)
        {
            var text = _response.Text!.ToString();
            WriteOutputText(output, "response.output_text.done", s_textField, text);
            Write(output, "response.content_part.done", writer =>
            {
                WriteItemPosition(writer, _response.MessageId, 0);
                writer.WriteNumber("content_index"u8, 0);
                writer.WritePropertyName("part"u8);
                ResponseObject.WriteTextPart(writer, text);
            });
            Write(output, "response.output_item.done", writer =>
            {
                writer.WriteNumber("output_index"u8, 0);
                writer.WritePropertyName("item"u8);
                _response.WriteMessage(writer, "completed");
            });
        }

        var offset = _response.Text is null ? 0 : 1;
        for (var i = 0; i < _response.Calls.Count; i++)
        {
            var (call, index) = (_response.Calls[i], i + offset);
            Write(output, "response.function_call_arguments.done", writer =>
            {
                WriteItemPosition(writer, call.Id, index);
                writer.WriteString("arguments"u8, call.Arguments.ToString());
            });
            Write(output, "response.output_item.done", writer =>
            {
                writer.WriteNumber("output_index"u8, index);
                writer.WritePropertyName("item"u8);
                call.WriteTo(writer, "completed");
            });
        }

        var status = _response.Status;
        Write(output, status == "incomplete" ? "response.incomplete" : "response.completed", writer => WriteResponse(writer, status));
    }

    private void AppendText(string text, IBufferWriter<byte> output)
    {
        if (!_messageOpen)
        {
            _messageOpen = true;
            _response.StartText();
            Write(output, "response.output_item.added", writer =>
            {
                writer.WriteNumber("output_index"u8, 0);
                writer.WritePropertyName("item"u8);
                _response.WriteMessage(writer, "in_progress");
            });
            Write(output, "response.content_part.added", writer =>
            {
                WriteItemPosition(writer, _response.MessageId, 0);
                writer.WriteNumber("content_index"u8, 0);
                writer.WritePropertyName("part"u8);
                ResponseObject.WriteTextPart(writer, "");
            });
        }

        _response.Text!.Append(text);
        WriteOutputText(output, "response.output_text.delta", s_deltaField, text);
    }

    /// <summary>An <c>output_text</c> event of the message's one text part: its text in <paramref name="field"/>, no logprobs.</summary>
    private void WriteOutputText(IBufferWriter<byte> output, string type, JsonEncodedText field, string text) =>
        Write(output, type, writer =>
        {
            WriteItemPosition(writer, _response.MessageId, 0);
            writer.WriteNumber("content_index"u8, 0);
            writer.WriteString(field, text);
            writer.WriteStartArray("logprobs"u8);
            writer.WriteEndArray();
        });

    private void AppendCall(JsonElement call, IBufferWriter<byte> output)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        if (!_callsByIndex.TryGetValue(index, out var functionCall))
        {
            functionCall = new ResponseObject.FunctionCall(ChatAnswerTranslator.StringOf(call, "id") ?? "call_" + Guid.NewGuid().ToString("n"),
                function.ValueKind == JsonValueKind.Object ? ChatAnswerTranslator.StringOf(function, "name") ?? "" : "");
            _callsByIndex[index] = functionCall;
            _response.Calls.Add(functionCall);
            // The message, when there is one, comes first; a text after a call is not something chat completions send.
            var outputIndex = _response.Calls.Count - 1 + (_response.Text is null ? 0 : 1);
            Write(output, "response.output_item.added", writer =>
            {
                writer.WriteNumber("output_index"u8, outputIndex);
                writer.WritePropertyName("item"u8);
                functionCall.WriteTo(writer, "in_progress");
            });
        }

        if (function.ValueKind == JsonValueKind.Object && ChatAnswerTranslator.StringOf(function, "arguments") is { Length: > 0 } arguments)
        {
            functionCall.Arguments.Append(arguments);
            var outputIndex = _response.Calls.IndexOf(functionCall) + (_response.Text is null ? 0 : 1);
            Write(output, "response.function_call_arguments.delta", writer =>
            {
                WriteItemPosition(writer, functionCall.Id, outputIndex);
                writer.WriteString("delta"u8, arguments);
            });
        }
    }

    private void WriteResponse(Utf8JsonWriter writer, string status)
    {
        writer.WritePropertyName("response"u8);
        _response.WriteTo(writer, status);
    }

    private static void WriteItemPosition(Utf8JsonWriter writer, string itemId, int outputIndex)
    {
        writer.WriteString("item_id"u8, itemId);
        writer.WriteNumber("output_index"u8, outputIndex);
    }

    /// <summary>One event: <c>event: {type}</c> and its data, an object with the type, the sequence number and <paramref name="fields"/>.</summary>
    private void Write(IBufferWriter<byte> output, string type, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ResponseObject.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            writer.WriteNumber("sequence_number"u8, _sequence++);
            fields(writer);
            writer.WriteEndObject();
        }

        output.Write("event: "u8);
        output.Write(System.Text.Encoding.UTF8.GetBytes(type));
        output.Write("\ndata: "u8);
        output.Write(buffer.WrittenSpan);
        output.Write("\n\n"u8);
    }
}
