using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Responses;

/// <summary>
/// A Responses API answer built from a chat completion: its output items (the assistant's message, the function calls)
/// and usage, and the request's settings echoed as OpenAI echoes them. Filled from a whole chat answer or chunk by chunk
/// from a stream; written the same way in both cases (the non-streamed answer, the stream's completed event).
/// </summary>
internal sealed class ResponseObject(JsonElement request)
{
    /// <summary>
    /// Text as written, not with every quote and non-ASCII character escaped: these bodies go to a model and to an API
    /// client, never into HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Id { get; private set; } = "";

    public long CreatedAt { get; private set; }

    public string Model { get; private set; } = "";

    public string MessageId => "msg_" + IdSuffix;

    /// <summary>The message's text so far; null while the answer has no message (only function calls).</summary>
    public StringBuilder? Text { get; private set; }

    public List<FunctionCall> Calls { get; } = [];

    public string? FinishReason { get; set; }

    public TokenUsage? Usage { get; set; }

    private string IdSuffix { get; set; } = "";

    /// <summary>Takes the chat completion's id (as <c>resp_…</c>), time and model, once.</summary>
    public void Identify(string? chatId, long created, string? model)
    {
        if (Id.Length > 0)
        {
            return;
        }

        IdSuffix = chatId is { Length: > 0 } ? (chatId.StartsWith("chatcmpl-", StringComparison.Ordinal) ? chatId["chatcmpl-".Length..] : chatId) : Guid.NewGuid().ToString("n");
        Id = "resp_" + IdSuffix;
        CreatedAt = created;
        Model = model ?? "";
    }

    public StringBuilder StartText() => Text ??= new StringBuilder();

    /// <summary>The chat completion's finish reason as the Responses API's status: cut at the output limit is <c>incomplete</c>.</summary>
    public string Status => FinishReason == "length" ? "incomplete" : "completed";

    public void WriteTo(Utf8JsonWriter writer, string? status = null)
    {
        status ??= Status;
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("object"u8, "response");
        writer.WriteNumber("created_at"u8, CreatedAt);
        writer.WriteString("status"u8, status);
        writer.WriteNull("error"u8);
        if (status == "incomplete")
        {
            writer.WriteStartObject("incomplete_details"u8);
            writer.WriteString("reason"u8, "max_output_tokens");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("incomplete_details"u8);
        }

        Echo(writer, "instructions", null);
        Echo(writer, "max_output_tokens", null);
        writer.WriteString("model"u8, Model);
        writer.WriteStartArray("output"u8);
        if (status != "in_progress")
        {
            if (Text is not null)
            {
                WriteMessage(writer, "completed");
            }

            foreach (var call in Calls)
            {
                call.WriteTo(writer, "completed");
            }
        }

        writer.WriteEndArray();
        Echo(writer, "parallel_tool_calls", "true");
        writer.WriteNull("previous_response_id"u8);
        Echo(writer, "reasoning", """{"effort":null,"summary":null}""");
        writer.WriteBoolean("store"u8, false);
        Echo(writer, "temperature", null);
        Echo(writer, "text", """{"format":{"type":"text"}}""");
        Echo(writer, "tool_choice", "\"auto\"");
        Echo(writer, "tools", "[]");
        Echo(writer, "top_p", null);
        writer.WriteString("truncation"u8, "disabled");
        if (Usage is { } usage && status != "in_progress")
        {
            writer.WriteStartObject("usage"u8);
            writer.WriteNumber("input_tokens"u8, usage.PromptTokens);
            writer.WriteStartObject("input_tokens_details"u8);
            writer.WriteNumber("cached_tokens"u8, 0);
            writer.WriteEndObject();
            writer.WriteNumber("output_tokens"u8, usage.CompletionTokens);
            writer.WriteStartObject("output_tokens_details"u8);
            writer.WriteNumber("reasoning_tokens"u8, 0);
            writer.WriteEndObject();
            writer.WriteNumber("total_tokens"u8, usage.TotalTokens);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("usage"u8);
        }

        Echo(writer, "user", null);
        Echo(writer, "metadata", "{}");
        writer.WriteEndObject();
    }

    /// <summary>The assistant's message item; its text is the whole text unless <paramref name="status"/> says it is still coming.</summary>
    public void WriteMessage(Utf8JsonWriter writer, string status)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, MessageId);
        writer.WriteString("type"u8, "message");
        writer.WriteString("status"u8, status);
        writer.WriteString("role"u8, "assistant");
        writer.WriteStartArray("content"u8);
        if (status == "completed")
        {
            WriteTextPart(writer, Text?.ToString() ?? "");
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "output_text");
        writer.WriteString("text"u8, text);
        writer.WriteStartArray("annotations"u8);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The request's value of <paramref name="name"/>, or OpenAI's default for it (raw JSON; null writes null).</summary>
    private void Echo(Utf8JsonWriter writer, string name, string? fallback)
    {
        writer.WritePropertyName(name);
        if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            value.WriteTo(writer);
        }
        else if (fallback is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(fallback);
        }
    }

    /// <summary>A function call of the answer, as the Responses API has it.</summary>
    internal sealed class FunctionCall(string callId, string name)
    {
        public string CallId { get; } = callId;

        public string Id => "fc_" + CallId;

        public string Name { get; } = name;

        public StringBuilder Arguments { get; } = new();

        public void WriteTo(Utf8JsonWriter writer, string status)
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, Id);
            writer.WriteString("type"u8, "function_call");
            writer.WriteString("status"u8, status);
            writer.WriteString("call_id"u8, CallId);
            writer.WriteString("name"u8, Name);
            writer.WriteString("arguments"u8, Arguments.ToString());
            writer.WriteEndObject();
        }
    }
}
