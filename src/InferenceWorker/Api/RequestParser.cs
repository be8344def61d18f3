using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.InferenceWorker.Api;

/// <summary>
/// Validates request bodies the way OpenAI does and reads what the engines need. Every failure is a 400 naming the
/// offending parameter; parameters the worker does not use (<c>tools</c>, <c>user</c>, …) are left alone
/// so that a forwarding engine passes them on.
/// </summary>
internal static class RequestParser
{
    /// <summary>OpenAI's own ceiling for <c>n</c>.</summary>
    public const int MaxChoices = 128;

    public static bool TryParseChat(ReadOnlySequence<byte> body,
        [NotNullWhen(true)] out GenerationRequest? request, [NotNullWhen(false)] out ApiError? error) =>
        TryParseGeneration(GenerationKind.Chat, body, out request, out error);

    public static bool TryParseCompletion(ReadOnlySequence<byte> body,
        [NotNullWhen(true)] out GenerationRequest? request, [NotNullWhen(false)] out ApiError? error) =>
        TryParseGeneration(GenerationKind.Completion, body, out request, out error);

    public static bool TryParseGeneration(GenerationKind kind, ReadOnlySequence<byte> body,
        [NotNullWhen(true)] out GenerationRequest? request, [NotNullWhen(false)] out ApiError? error)
    {
        request = null;
        if (!TryParseObject(body, out var document, out error))
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            IReadOnlyList<ChatMessage> messages = [];
            IReadOnlyList<TextOrTokenIds> prompts = [];
            if (!TryGetModel(root, out var model, out error)
                || (kind == GenerationKind.Chat ? !TryGetMessages(root, out messages, out error) : !TryGetPrompts(root, out prompts, out error))
                || !TryGetInt(root, "n", 1, MaxChoices, out var n, out error)
                || !TryGetInt(root, "max_tokens", 1, int.MaxValue, out var maxTokens, out error)
                || !TryGetInt(root, "max_completion_tokens", 1, int.MaxValue, out var maxCompletionTokens, out error)
                || !TryGetStop(root, out var stop, out error)
                || !TryGetSeed(root, out var seed, out error)
                || !TryGetNumber(root, "temperature", 0, 2, out var temperature, out error)
                || !TryGetNumber(root, "top_p", 0, 1, out var topP, out error)
                || !TryGetInt(root, "top_k", -1, int.MaxValue, out var topK, out error)
                || !TryGetBool(root, "stream", out var stream, out error)
                || !TryGetIncludeUsage(root, out var includeUsage, out error))
            {
                return false;
            }

            request = new GenerationRequest
            {
                Kind = kind,
                Model = model,
                Messages = messages,
                Prompts = prompts,
                N = n ?? 1,
                MaxTokens = maxCompletionTokens ?? maxTokens,
                Stop = stop,
                Seed = seed,
                Temperature = temperature,
                TopP = topP,
                TopK = topK is > 0 ? topK : null,
                Stream = stream,
                IncludeUsage = stream && includeUsage,
                Body = body,
            };
            return true;
        }
    }

    public static bool TryParseEmbedding(ReadOnlySequence<byte> body,
        [NotNullWhen(true)] out EmbeddingRequest? request, [NotNullWhen(false)] out ApiError? error)
    {
        request = null;
        if (!TryParseObject(body, out var document, out error))
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (!TryGetModel(root, out var model, out error)
                || !TryGetTextOrTokenIdss(root, out var inputs, out error)
                || !TryGetInt(root, "dimensions", 1, int.MaxValue, out var dimensions, out error))
            {
                return false;
            }

            var encoding = EmbeddingEncoding.Float;
            if (root.TryGetProperty("encoding_format"u8, out var format) && format.ValueKind != JsonValueKind.Null)
            {
                if (format.ValueKind == JsonValueKind.String && format.ValueEquals("base64"u8))
                {
                    encoding = EmbeddingEncoding.Base64;
                }
                else if (format.ValueKind != JsonValueKind.String || !format.ValueEquals("float"u8))
                {
                    error = Invalid("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
                    return false;
                }
            }

            request = new EmbeddingRequest { Model = model, Inputs = inputs, Encoding = encoding, Dimensions = dimensions, Body = body };
            return true;
        }
    }

    public static ApiError ModelNotFound(string model) =>
        ApiError.NotFound($"The model '{model}' does not exist or you do not have access to it.", ApiErrorCodes.ModelNotFound, "model");

    private static bool TryParseObject(ReadOnlySequence<byte> body, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out ApiError? error)
    {
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            document = null;
            error = Invalid("We could not parse the JSON body of your request. The API expects a JSON object.", null);
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            document = null;
            error = Invalid("The request body must be a JSON object.", null);
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryGetModel(JsonElement root, out string model, [NotNullWhen(false)] out ApiError? error)
    {
        if (root.TryGetProperty("model"u8, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } name)
        {
            model = name;
            error = null;
            return true;
        }

        model = "";
        error = Invalid("You must provide a model parameter: a non-empty string.", "model");
        return false;
    }

    private static bool TryGetMessages(JsonElement root, out IReadOnlyList<ChatMessage> messages, [NotNullWhen(false)] out ApiError? error)
    {
        messages = [];
        if (!root.TryGetProperty("messages"u8, out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            error = Invalid("'messages' must be a non-empty array of objects with 'role' and 'content'.", "messages");
            return false;
        }

        var list = new List<ChatMessage>(array.GetArrayLength());
        var index = 0;
        foreach (var message in array.EnumerateArray())
        {
            var param = $"messages[{index}]";
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role"u8, out var role) || role.ValueKind != JsonValueKind.String)
            {
                error = Invalid($"'{param}' must be an object with a string 'role' and a 'content'.", param);
                return false;
            }

            if (!message.TryGetProperty("content"u8, out var content) || !TryReadContent(content, role, out var text))
            {
                error = Invalid($"'{param}.content' must be a string or an array of content parts.", param + ".content");
                return false;
            }

            list.Add(new ChatMessage(role.GetString()!, text));
            index++;
        }

        messages = list;
        error = null;
        return true;
    }

    /// <summary>A string; an array of parts (text parts joined, others such as images ignored); or null for an assistant's tool call.</summary>
    private static bool TryReadContent(JsonElement content, JsonElement role, out string text)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                text = content.GetString()!;
                return true;
            case JsonValueKind.Null when role.ValueEquals("assistant"u8):
                text = "";
                return true;
            case JsonValueKind.Array:
                var builder = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        builder.Append(part.GetString());
                    }
                    else if (part.ValueKind != JsonValueKind.Object)
                    {
                        text = "";
                        return false;
                    }
                    else if (part.TryGetProperty("text"u8, out var partText) && partText.ValueKind == JsonValueKind.String)
                    {
                        builder.Append(partText.GetString());
                    }
                }

                text = builder.ToString();
                return true;
            default:
                text = "";
                return false;
        }
    }

    private static bool TryGetPrompts(JsonElement root, out IReadOnlyList<TextOrTokenIds> prompts, [NotNullWhen(false)] out ApiError? error)
    {
        prompts = [];
        error = Invalid("'prompt' must be a string, an array of strings, or token ids.", "prompt");
        if (!root.TryGetProperty("prompt"u8, out var prompt))
        {
            return false;
        }

        if (prompt.ValueKind == JsonValueKind.String)
        {
            prompts = [new TextOrTokenIds(prompt.GetString()!, null)];
        }
        else if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() > 0)
        {
            var first = prompt[0].ValueKind;
            if (first == JsonValueKind.Number)
            {
                // One prompt of token ids.
                if (!TryReadTokenIds(prompt, out var ids))
                {
                    return false;
                }

                prompts = [ids];
            }
            else
            {
                var list = new List<TextOrTokenIds>(prompt.GetArrayLength());
                foreach (var item in prompt.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        list.Add(new TextOrTokenIds(item.GetString()!, null));
                    }
                    else if (item.ValueKind == JsonValueKind.Array && TryReadTokenIds(item, out var ids))
                    {
                        list.Add(ids);
                    }
                    else
                    {
                        return false;
                    }
                }

                prompts = list;
            }
        }
        else
        {
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryGetTextOrTokenIdss(JsonElement root, out IReadOnlyList<TextOrTokenIds> inputs, [NotNullWhen(false)] out ApiError? error)
    {
        inputs = [];
        error = Invalid("'input' must be a non-empty string, an array of strings, or token ids.", "input");
        if (!root.TryGetProperty("input"u8, out var input))
        {
            return false;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            inputs = [new TextOrTokenIds(input.GetString()!, null)];
        }
        else if (input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0)
        {
            if (input[0].ValueKind == JsonValueKind.Number)
            {
                if (!TryReadTokenIds(input, out var ids))
                {
                    return false;
                }

                inputs = [ids];
            }
            else
            {
                var list = new List<TextOrTokenIds>(input.GetArrayLength());
                foreach (var item in input.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        list.Add(new TextOrTokenIds(item.GetString()!, null));
                    }
                    else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0 && TryReadTokenIds(item, out var ids))
                    {
                        list.Add(ids);
                    }
                    else
                    {
                        return false;
                    }
                }

                inputs = list;
            }
        }
        else
        {
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Token ids stand for themselves: the text is the ids joined by spaces and each id is one token.</summary>
    private static bool TryReadTokenIds(JsonElement array, out TextOrTokenIds input)
    {
        var builder = new StringBuilder();
        var count = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0)
            {
                input = default;
                return false;
            }

            builder.Append(count == 0 ? "" : " ").Append(id.ToString(CultureInfo.InvariantCulture));
            count++;
        }

        input = new TextOrTokenIds(builder.ToString(), count);
        return true;
    }

    private static bool TryGetInt(JsonElement root, string name, int min, int max, out int? value, [NotNullWhen(false)] out ApiError? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number) && number >= min && number <= max)
        {
            value = number;
            return true;
        }

        error = Invalid(max == int.MaxValue
            ? $"'{name}' must be an integer of at least {min}."
            : $"'{name}' must be an integer between {min} and {max}.", name);
        return false;
    }

    private static bool TryGetSeed(JsonElement root, out long? seed, [NotNullWhen(false)] out ApiError? error)
    {
        seed = null;
        error = null;
        if (!root.TryGetProperty("seed"u8, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
        {
            seed = number;
            return true;
        }

        error = Invalid("'seed' must be an integer.", "seed");
        return false;
    }

    private static bool TryGetNumber(JsonElement root, string name, double min, double max, out double? number, [NotNullWhen(false)] out ApiError? error)
    {
        number = null;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.GetDouble() is var value && value >= min && value <= max)
        {
            number = value;
            return true;
        }

        error = Invalid($"'{name}' must be a number between {min} and {max}.", name);
        return false;
    }

    private static bool TryGetBool(JsonElement root, string name, out bool value, [NotNullWhen(false)] out ApiError? error)
    {
        value = false;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            value = element.GetBoolean();
            return true;
        }

        error = Invalid($"'{name}' must be a boolean.", name);
        return false;
    }

    private static bool TryGetIncludeUsage(JsonElement root, out bool includeUsage, [NotNullWhen(false)] out ApiError? error)
    {
        includeUsage = false;
        error = null;
        if (!root.TryGetProperty("stream_options"u8, out var options) || options.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (options.ValueKind != JsonValueKind.Object)
        {
            error = Invalid("'stream_options' must be an object.", "stream_options");
            return false;
        }

        return TryGetBool(options, "include_usage", out includeUsage, out error);
    }

    private static bool TryGetStop(JsonElement root, out IReadOnlyList<byte[]> stop, [NotNullWhen(false)] out ApiError? error)
    {
        stop = [];
        error = null;
        if (!root.TryGetProperty("stop"u8, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            stop = element.GetString() is { Length: > 0 } single ? [Encoding.UTF8.GetBytes(single)] : [];
            return true;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            var list = new List<byte[]>(element.GetArrayLength());
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    error = Invalid("'stop' must be a string or an array of strings.", "stop");
                    return false;
                }

                if (item.GetString() is { Length: > 0 } text)
                {
                    list.Add(Encoding.UTF8.GetBytes(text));
                }
            }

            stop = list;
            return true;
        }

        error = Invalid("'stop' must be a string or an array of strings.", "stop");
        return false;
    }

    private static ApiError Invalid(string message, string? param) => ApiError.BadRequest(message, param);
}
