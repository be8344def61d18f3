using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Caching;

/// <summary>
/// Turns the chunks of a streamed chat or text completion back into the answer a non-streamed request would have
/// got, so one cache entry serves both kinds of request; the payload log reads the first choice's text from it. Only
/// plain text answers are rebuilt: a stream with tool calls, logprobs or refusals is marked not cacheable rather than
/// rebuilt approximately, though its text is still assembled.
/// </summary>
public sealed class StreamAssembler(InferenceOperation operation)
{
    private readonly SortedDictionary<int, Choice> _choices = [];
    private string? _id;
    private long _created;
    private string? _model;
    private string? _fingerprint;
    private string? _usage;

    public bool Cacheable { get; private set; } = true;

    /// <summary>Characters of text the first choice has so far (the assistant's content, or a completion's text).</summary>
    public int TextLength => _choices.TryGetValue(0, out var choice) ? choice.Text.Length : 0;

    /// <summary>The first choice's text as assembled so far; null when no chunk carried a first choice.</summary>
    public string? Text() => _choices.TryGetValue(0, out var choice) ? choice.Text.ToString() : null;

    public void Add(ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return;
        }

        try
        {
            using var chunk = JsonDocument.Parse(data.ToArray());
            var root = chunk.RootElement;
            _id ??= root.TryGetProperty("id", out var id) ? id.GetString() : null;
            _model ??= root.TryGetProperty("model", out var model) ? model.GetString() : null;
            if (_created == 0 && root.TryGetProperty("created", out var created) && created.TryGetInt64(out var time))
            {
                _created = time;
            }

            if (root.TryGetProperty("system_fingerprint", out var fingerprint) && fingerprint.ValueKind == JsonValueKind.String)
            {
                _fingerprint = fingerprint.GetString();
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                _usage = usage.GetRawText();
            }

            if (root.TryGetProperty("choices", out var choices))
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    AddChoice(choice);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            Cacheable = false;
        }
    }

    /// <summary>The non-streamed answer, or null when the stream was not complete or not cacheable.</summary>
    public byte[]? Build()
    {
        if (!Cacheable || _choices.Count == 0 || _usage is null || _choices.Values.Any(c => c.FinishReason is null))
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            var chat = operation == InferenceOperation.ChatCompletions;
            writer.WriteStartObject();
            writer.WriteString("id", _id);
            writer.WriteString("object", chat ? "chat.completion" : "text_completion");
            writer.WriteNumber("created", _created);
            writer.WriteString("model", _model);
            if (_fingerprint is not null)
            {
                writer.WriteString("system_fingerprint", _fingerprint);
            }

            writer.WriteStartArray("choices");
            foreach (var (index, choice) in _choices)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", index);
                if (chat)
                {
                    writer.WriteStartObject("message");
                    writer.WriteString("role", choice.Role ?? "assistant");
                    writer.WriteString("content", choice.Text.ToString());
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteString("text", choice.Text.ToString());
                }

                writer.WriteNull("logprobs");
                writer.WriteString("finish_reason", choice.FinishReason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WritePropertyName("usage");
            writer.WriteRawValue(_usage);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private void AddChoice(JsonElement element)
    {
        var index = element.TryGetProperty("index", out var i) ? i.GetInt32() : 0;
        if (!_choices.TryGetValue(index, out var choice))
        {
            _choices[index] = choice = new Choice();
        }

        if (element.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind != JsonValueKind.Null)
        {
            Cacheable = false;
        }

        if (element.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            choice.FinishReason = finish.GetString();
        }

        if (operation != InferenceOperation.ChatCompletions)
        {
            choice.Text.Append(element.TryGetProperty("text", out var text) ? text.GetString() : null);
            return;
        }

        if (!element.TryGetProperty("delta", out var delta))
        {
            return;
        }

        foreach (var field in delta.EnumerateObject())
        {
            switch (field.Name)
            {
                case "role" when field.Value.ValueKind == JsonValueKind.String:
                    choice.Role = field.Value.GetString();
                    break;
                case "content" when field.Value.ValueKind == JsonValueKind.String:
                    choice.Text.Append(field.Value.GetString());
                    break;
                case "content" or "role" or "refusal" or "tool_calls" or "function_call" when field.Value.ValueKind == JsonValueKind.Null:
                    break;
                default:
                    // Tool calls, refusals, audio…: not rebuilt, so not cached.
                    Cacheable = false;
                    break;
            }
        }
    }

    private sealed class Choice
    {
        public string? Role { get; set; }

        public StringBuilder Text { get; } = new();

        public string? FinishReason { get; set; }
    }
}
