using System.Buffers;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Responses;

/// <summary>
/// Turns a Responses API request (<c>POST /v1/responses</c>) into the chat completions request that asks the same, for a
/// target that speaks only chat completions (the simulator, llama.cpp, an older vLLM). What has a meaning in chat
/// completions is carried over: text and image input, instructions, multi-turn items with function calls and their
/// outputs, sampling, output limits, function tools, structured output. What has none (stored conversations, built-in
/// tools, background runs, files by id) is refused with a 400 naming the field, never dropped in silence.
/// </summary>
public static class ResponsesRequestTranslator
{
    /// <summary>Fields that change nothing in the answer's content here: the Gateway never stores responses.</summary>
    private static readonly HashSet<string> s_ignored = ["model", "store", "metadata", "stream_options", "service_tier", "prompt_cache_key", "safety_identifier"];

    public static bool TryTranslate(ReadOnlySpan<byte> body, string upstreamModel, out byte[] chatBody, out ApiError? error)
    {
        chatBody = [];
        error = null;
        using var document = JsonDocument.Parse(body.ToArray());
        var request = document.RootElement;
        var buffer = new ArrayBufferWriter<byte>(body.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, ResponseObject.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, upstreamModel);
            if (!TryWriteMessages(writer, request, out error) || !TryWriteOptions(writer, request, out error))
            {
                return false;
            }

            writer.WriteEndObject();
        }

        chatBody = buffer.WrittenSpan.ToArray();
        return true;
    }

    private static bool TryWriteOptions(Utf8JsonWriter writer, JsonElement request, out ApiError? error)
    {
        error = null;
        foreach (var field in request.EnumerateObject())
        {
            var value = field.Value;
            switch (field.Name)
            {
                case "input" or "instructions":
                    break;
                case var ignored when s_ignored.Contains(ignored):
                    break;
                case "stream":
                    Copy(writer, "stream", value);
                    if (value.ValueKind == JsonValueKind.True)
                    {
                        // The completed event carries usage; chat completions send it only when asked.
                        writer.WriteStartObject("stream_options"u8);
                        writer.WriteBoolean("include_usage"u8, true);
                        writer.WriteEndObject();
                    }

                    break;
                case "max_output_tokens":
                    Copy(writer, "max_tokens", value);
                    break;
                case "temperature" or "top_p" or "parallel_tool_calls" or "user" or "top_logprobs":
                    Copy(writer, field.Name, value);
                    if (field.Name == "top_logprobs" && value.ValueKind == JsonValueKind.Number)
                    {
                        writer.WriteBoolean("logprobs"u8, true);
                    }

                    break;
                case "tools":
                    if (!TryWriteTools(writer, value, out error))
                    {
                        return false;
                    }

                    break;
                case "tool_choice":
                    if (!TryWriteToolChoice(writer, value, out error))
                    {
                        return false;
                    }

                    break;
                case "text":
                    if (!TryWriteTextFormat(writer, value, out error))
                    {
                        return false;
                    }

                    break;
                case "reasoning":
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("effort", out var effort) && effort.ValueKind == JsonValueKind.String)
                    {
                        writer.WriteString("reasoning_effort"u8, effort.GetString());
                    }

                    break;
                case "truncation" when value.ValueKind == JsonValueKind.Null || value.ValueEquals("disabled"u8):
                    break;
                case "previous_response_id" or "conversation" or "background" or "prompt" or "include" or "max_tool_calls" or "truncation"
                    when !IsNullOrEmpty(value) && !(field.Name == "background" && value.ValueKind == JsonValueKind.False):
                    error = Unsupported(field.Name, field.Name switch
                    {
                        "previous_response_id" or "conversation" =>
                            "The Gateway does not store responses or conversations: send the whole conversation in 'input'.",
                        "background" => "Background responses are not supported: send the request without 'background'.",
                        _ => "This model's target speaks only chat completions, which have no equivalent.",
                    });
                    return false;
                case "previous_response_id" or "conversation" or "background" or "prompt" or "include" or "max_tool_calls":
                    break;
                default:
                    error = Unsupported(field.Name, "The Gateway cannot translate it for a target that speaks only chat completions.");
                    return false;
            }
        }

        return true;
    }

    private static bool TryWriteMessages(Utf8JsonWriter writer, JsonElement request, out ApiError? error)
    {
        error = null;
        writer.WriteStartArray("messages"u8);
        if (request.TryGetProperty("instructions", out var instructions) && instructions.ValueKind == JsonValueKind.String)
        {
            WriteTextMessage(writer, "system", instructions.GetString());
        }

        if (!request.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            error = ApiError.BadRequest("'input' is required.", "input");
            return false;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            WriteTextMessage(writer, "user", input.GetString());
        }
        else if (input.ValueKind != JsonValueKind.Array || !TryWriteItems(writer, input, out error))
        {
            error ??= ApiError.BadRequest("'input' must be a string or an array of input items.", "input");
            return false;
        }

        writer.WriteEndArray();
        return true;
    }

    private static bool TryWriteItems(Utf8JsonWriter writer, JsonElement items, out ApiError? error)
    {
        error = null;
        var calls = new List<JsonElement>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var param = $"input[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                error = ApiError.BadRequest($"'{param}' must be an object.", param);
                return false;
            }

            var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "message";
            if (type != "function_call" && calls.Count > 0)
            {
                // Consecutive function calls are one assistant turn in chat completions.
                WriteToolCalls(writer, calls);
                calls.Clear();
            }

            switch (type)
            {
                case "message":
                    if (!TryWriteMessageItem(writer, item, param, out error))
                    {
                        return false;
                    }

                    break;
                case "function_call":
                    if (!HasStrings(item, param, out error, "call_id", "name", "arguments"))
                    {
                        return false;
                    }

                    calls.Add(item);
                    break;
                case "function_call_output":
                    if (!HasStrings(item, param, out error, "call_id"))
                    {
                        return false;
                    }

                    writer.WriteStartObject();
                    writer.WriteString("role"u8, "tool");
                    writer.WriteString("tool_call_id"u8, item.GetProperty("call_id").GetString());
                    var output = item.TryGetProperty("output", out var o) ? o : default;
                    writer.WriteString("content"u8, output.ValueKind == JsonValueKind.String ? output.GetString() : output.ValueKind == JsonValueKind.Undefined ? "" : output.GetRawText());
                    writer.WriteEndObject();
                    break;
                case "reasoning":
                    // A reasoning item from an earlier answer: chat completions take no such input; the turn stands without it.
                    break;
                default:
                    error = Unsupported($"{param}.type", $"Input items of type '{type}' cannot be translated to chat completions.");
                    return false;
            }
        }

        if (calls.Count > 0)
        {
            WriteToolCalls(writer, calls);
        }

        return true;
    }

    private static bool TryWriteMessageItem(Utf8JsonWriter writer, JsonElement item, string param, out ApiError? error)
    {
        error = null;
        var role = item.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
        if (role is not ("user" or "assistant" or "system" or "developer"))
        {
            error = ApiError.BadRequest($"'{param}.role' must be one of user, assistant, system or developer.", $"{param}.role");
            return false;
        }

        writer.WriteStartObject();
        // Chat completions' older servers know 'system' only; it means the same.
        writer.WriteString("role"u8, role == "developer" ? "system" : role);
        if (!item.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            error = ApiError.BadRequest($"'{param}.content' must be a string or an array of content parts.", $"{param}.content");
            return false;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            writer.WriteString("content"u8, content.GetString());
        }
        else if (!TryWriteContentParts(writer, content, $"{param}.content", out error))
        {
            return false;
        }

        writer.WriteEndObject();
        return true;
    }

    private static bool TryWriteContentParts(Utf8JsonWriter writer, JsonElement parts, string param, out ApiError? error)
    {
        error = null;
        writer.WriteStartArray("content"u8);
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partParam = $"{param}[{index++}]";
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "input_text" or "output_text" or "refusal":
                    var field = type == "refusal" ? "refusal" : "text";
                    if (!HasStrings(part, partParam, out error, field))
                    {
                        return false;
                    }

                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "text");
                    writer.WriteString("text"u8, part.GetProperty(field).GetString());
                    writer.WriteEndObject();
                    break;
                case "input_image" when part.TryGetProperty("image_url", out var url) && url.ValueKind == JsonValueKind.String:
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "image_url");
                    writer.WriteStartObject("image_url"u8);
                    writer.WriteString("url"u8, url.GetString());
                    if (part.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
                    {
                        writer.WriteString("detail"u8, detail.GetString());
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;
                default:
                    error = Unsupported($"{partParam}.type",
                        $"Content parts of type '{type ?? "(none)"}' cannot be translated to chat completions (images must come by 'image_url', not 'file_id').");
                    return false;
            }
        }

        writer.WriteEndArray();
        return true;
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, List<JsonElement> calls)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant");
        writer.WriteNull("content"u8);
        writer.WriteStartArray("tool_calls"u8);
        foreach (var call in calls)
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, call.GetProperty("call_id").GetString());
            writer.WriteString("type"u8, "function");
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, call.GetProperty("name").GetString());
            writer.WriteString("arguments"u8, call.GetProperty("arguments").GetString());
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static bool TryWriteTools(Utf8JsonWriter writer, JsonElement tools, out ApiError? error)
    {
        error = null;
        if (tools.ValueKind != JsonValueKind.Array)
        {
            error = ApiError.BadRequest("'tools' must be an array.", "tools");
            return false;
        }

        writer.WriteStartArray("tools"u8);
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var param = $"tools[{index++}]";
            var type = tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type != "function")
            {
                error = Unsupported($"{param}.type", $"Only function tools can be translated to chat completions, not '{type ?? "(none)"}'.");
                return false;
            }

            if (!HasStrings(tool, param, out error, "name"))
            {
                return false;
            }

            WriteTyped(writer, "function", tool, "name", "description", "parameters", "strict");
        }

        writer.WriteEndArray();
        return true;
    }

    private static bool TryWriteToolChoice(Utf8JsonWriter writer, JsonElement choice, out ApiError? error)
    {
        error = null;
        if (choice.ValueKind == JsonValueKind.String)
        {
            Copy(writer, "tool_choice", choice);
            return true;
        }

        if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("type", out var type) && type.ValueEquals("function"u8)
            && choice.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            writer.WriteStartObject("tool_choice"u8);
            writer.WriteString("type"u8, "function");
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, name.GetString());
            writer.WriteEndObject();
            writer.WriteEndObject();
            return true;
        }

        error = Unsupported("tool_choice", "Only 'auto', 'none', 'required' or a function by name can be translated to chat completions.");
        return false;
    }

    private static bool TryWriteTextFormat(Utf8JsonWriter writer, JsonElement text, out ApiError? error)
    {
        error = null;
        if (text.ValueKind != JsonValueKind.Object || !text.TryGetProperty("format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        var type = format.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text":
                return true;
            case "json_object":
                writer.WriteStartObject("response_format"u8);
                writer.WriteString("type"u8, "json_object");
                writer.WriteEndObject();
                return true;
            case "json_schema":
                writer.WritePropertyName("response_format"u8);
                WriteTyped(writer, "json_schema", format, "name", "schema", "strict", "description");
                return true;
            default:
                error = Unsupported("text.format.type", $"The output format '{type ?? "(none)"}' cannot be translated to chat completions.");
                return false;
        }
    }

    /// <summary>
    /// Chat completions' wrapped form of a Responses object that is flat: <c>{"type": t, t: {members of source}}</c>
    /// (a function tool, a JSON schema format), with only the <paramref name="members"/> chat completions know.
    /// </summary>
    private static void WriteTyped(Utf8JsonWriter writer, string type, JsonElement source, params string[] members)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WriteStartObject(type);
        foreach (var member in source.EnumerateObject())
        {
            if (members.Contains(member.Name))
            {
                member.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Copy(Utf8JsonWriter writer, string name, JsonElement value)
    {
        writer.WritePropertyName(name);
        value.WriteTo(writer);
    }

    private static void WriteTextMessage(Utf8JsonWriter writer, string role, string? text)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, role);
        writer.WriteString("content"u8, text);
        writer.WriteEndObject();
    }

    private static bool HasStrings(JsonElement item, string param, out ApiError? error, params string[] names)
    {
        foreach (var name in names)
        {
            if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
            {
                error = ApiError.BadRequest($"'{param}.{name}' must be a string.", $"{param}.{name}");
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool IsNullOrEmpty(JsonElement value) =>
        value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0);

    private static ApiError Unsupported(string param, string why) =>
        ApiError.BadRequest($"'{param}' is not supported here. {why}", param, "unsupported_parameter");
}
