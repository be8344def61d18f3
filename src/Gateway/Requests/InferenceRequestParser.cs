using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Requests;

/// <summary>
/// Validates a request body against the rules of its operation and extracts an <see cref="InferenceRequest"/>,
/// in one forward pass of a <see cref="Utf8JsonReader"/> (no DOM, no strings but the model name).
/// Messages follow OpenAI's wording and <c>param</c> paths, so SDK users see familiar errors.
/// </summary>
public static class InferenceRequestParser
{
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 64 };

    /// <summary>Parses with OpenAI's own default for a moderation that names no model.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> body,
        InferenceOperation operation,
        [NotNullWhen(true)] out InferenceRequest? request,
        [NotNullWhen(false)] out ApiError? error) =>
        TryParse(body, operation, ModerationOptions.OpenAIDefaultModel, out request, out error);

    /// <summary>Parses, giving a moderation whose body names no model <paramref name="defaultModerationModel"/>.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> body,
        InferenceOperation operation,
        string defaultModerationModel,
        [NotNullWhen(true)] out InferenceRequest? request,
        [NotNullWhen(false)] out ApiError? error)
    {
        request = null;
        if (!HasDecodableText(body, out error))
        {
            return false;
        }

        var reader = new Utf8JsonReader(body, s_readerOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = ApiError.BadRequest("The request body must be a JSON object.");
                return false;
            }

            var fields = new Fields { ObjectStart = (int)reader.TokenStartIndex + 1 };
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!TryReadProperty(ref reader, operation, ref fields, out var propertyError))
                {
                    error = propertyError!;
                    return false;
                }
            }

            if (reader.Read())
            {
                error = ApiError.BadRequest("The request body has content after its JSON object.");
                return false;
            }

            return TryComplete(operation, fields, defaultModerationModel, out request, out error);
        }
        catch (JsonException ex)
        {
            error = ApiError.BadRequest($"We could not parse the JSON body of your request: {ex.Message}");
            return false;
        }
    }

    /// <summary>
    /// Whether every string in <paramref name="body"/> is text: valid UTF-8 (the reader passes bytes inside strings
    /// unchecked) and no <c>\u</c> escape of a lone surrogate. Everything after the parser (the cache key's canonical
    /// form, the payload capture, the upstream) decodes strings and would fail on either.
    /// </summary>
    private static bool HasDecodableText(ReadOnlySpan<byte> body, [NotNullWhen(false)] out ApiError? error)
    {
        error = null;
        if (!Utf8.IsValid(body))
        {
            error = ApiError.BadRequest("The request body is not valid UTF-8; JSON text must be UTF-8 encoded.");
            return false;
        }

        // A surrogate can only arrive escaped in valid UTF-8; most bodies have no \u at all and skip the second pass.
        if (body.IndexOf("\\u"u8) < 0)
        {
            return true;
        }

        var reader = new Utf8JsonReader(body, s_readerOptions);
        char[]? buffer = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    // Unescaped, a string never has more chars than its escaped form has bytes.
                    var length = reader.ValueSpan.Length;
                    if (buffer is null || buffer.Length < length)
                    {
                        if (buffer is not null)
                        {
                            ArrayPool<char>.Shared.Return(buffer);
                        }

                        buffer = ArrayPool<char>.Shared.Rent(length);
                    }

                    reader.CopyString(buffer);
                }
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            error = ApiError.BadRequest(
                "The request body holds a \\u escape of a lone UTF-16 surrogate (\\ud800 to \\udfff without its pair), which is not text.");
            return false;
        }
        catch (JsonException)
        {
            // Malformed JSON: the parser's own pass names the fault.
            return true;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }

    private static bool TryReadProperty(ref Utf8JsonReader reader, InferenceOperation operation, ref Fields fields, out ApiError? error)
    {
        error = null;
        if (reader.ValueTextEquals("model"u8))
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                error = ApiError.BadRequest("'model' must be a string.", "model");
                return false;
            }

            fields.Model = reader.GetString();
            fields.ModelValue = new ByteRange((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2);
        }
        else if (reader.ValueTextEquals("stream"u8))
        {
            reader.Read();
            if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
            {
                error = ApiError.BadRequest("'stream' must be a boolean.", "stream");
                return false;
            }

            fields.Stream = reader.TokenType == JsonTokenType.True;
        }
        else if (reader.ValueTextEquals("stream_options"u8))
        {
            reader.Read();
            return TryReadStreamOptions(ref reader, ref fields, out error);
        }
        else if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8)
            || (operation == InferenceOperation.Responses && reader.ValueTextEquals("max_output_tokens"u8)))
        {
            var name = reader.ValueTextEquals("max_tokens"u8) ? "max_tokens" : reader.ValueTextEquals("max_output_tokens"u8) ? "max_output_tokens" : "max_completion_tokens";
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var maxTokens) || maxTokens < 1)
            {
                error = ApiError.BadRequest($"'{name}' must be an integer of at least 1.", name);
                return false;
            }

            fields.MaxTokens = maxTokens;
        }
        else if (operation == InferenceOperation.ChatCompletions && reader.ValueTextEquals("messages"u8))
        {
            reader.Read();
            fields.HasPayload = true;
            return MessagesValidator.TryValidate(ref reader, out error);
        }
        else if (operation == InferenceOperation.Completions && reader.ValueTextEquals("prompt"u8))
        {
            reader.Read();
            fields.HasPayload = true;
            return TryValidateTextOrTokens(ref reader, "prompt", allowEmptyArray: false, out error);
        }
        else if (operation == InferenceOperation.Responses && reader.ValueTextEquals("input"u8))
        {
            // Its items are checked where they are translated (ResponsesRequestTranslator), or by a target that takes them.
            reader.Read();
            fields.HasPayload = true;
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.StartArray))
            {
                error = ApiError.BadRequest("'input' must be a string or an array of input items.", "input");
                return false;
            }

            reader.Skip();
        }
        else if (operation == InferenceOperation.Embeddings && reader.ValueTextEquals("input"u8))
        {
            reader.Read();
            fields.HasPayload = true;
            return TryValidateTextOrTokens(ref reader, "input", allowEmptyArray: false, out error);
        }
        else if (operation == InferenceOperation.Moderations && reader.ValueTextEquals("input"u8))
        {
            reader.Read();
            fields.HasPayload = true;
            return ModerationInputValidator.TryValidate(ref reader, out error);
        }
        else if (operation == InferenceOperation.Rerank && reader.ValueTextEquals("query"u8))
        {
            reader.Read();
            fields.HasQuery = true;
            return RerankValidator.TryValidateQuery(ref reader, out error);
        }
        else if (operation == InferenceOperation.Rerank && reader.ValueTextEquals("documents"u8))
        {
            reader.Read();
            fields.HasPayload = true;
            return RerankValidator.TryValidateDocuments(ref reader, out error);
        }
        else if (operation == InferenceOperation.Rerank && reader.ValueTextEquals("top_n"u8))
        {
            reader.Read();
            return RerankValidator.TryValidateTopN(ref reader, out error);
        }
        else if (operation == InferenceOperation.Rerank && reader.ValueTextEquals("return_documents"u8))
        {
            reader.Read();
            return RerankValidator.TryValidateReturnDocuments(ref reader, out error);
        }
        else
        {
            reader.Read();
            reader.Skip();
        }

        return true;
    }

    private static bool TryReadStreamOptions(ref Utf8JsonReader reader, ref Fields fields, out ApiError? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = ApiError.BadRequest("'stream_options' must be an object.", "stream_options");
            return false;
        }

        var start = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    error = ApiError.BadRequest("'stream_options.include_usage' must be a boolean.", "stream_options.include_usage");
                    return false;
                }

                fields.IncludeUsage = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Skip();
            }
        }

        fields.StreamOptionsValue = new ByteRange(start, (int)reader.BytesConsumed - start);
        return true;
    }

    /// <summary>A string, or a non-empty array of strings, token ids, or arrays of token ids.</summary>
    private static bool TryValidateTextOrTokens(ref Utf8JsonReader reader, string name, bool allowEmptyArray, out ApiError? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.String)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.StartArray))
                {
                    error = ApiError.BadRequest($"'{name}[{count}]' must be a string, a token id or an array of token ids.", $"{name}[{count}]");
                    return false;
                }

                reader.Skip();
                count++;
            }

            if (count > 0 || allowEmptyArray)
            {
                return true;
            }
        }

        error = ApiError.BadRequest($"'{name}' must be a string or a non-empty array.", name);
        return false;
    }

    private static bool TryComplete(
        InferenceOperation operation, in Fields fields, string defaultModerationModel, out InferenceRequest? request, out ApiError? error)
    {
        request = null;
        // OpenAI's moderations endpoint picks its default model when none is named; the Gateway routes by name, so the
        // request gets the configured default, which the upstream body will then name.
        var modelOmitted = fields.Model is null && operation == InferenceOperation.Moderations;
        if (fields.Model is null && !modelOmitted)
        {
            error = ApiError.BadRequest("You must provide a model parameter.", "model");
            return false;
        }

        if (fields.Model is { Length: 0 })
        {
            error = ApiError.BadRequest("'model' must not be empty.", "model");
            return false;
        }

        if (operation == InferenceOperation.Rerank && !fields.HasQuery)
        {
            error = ApiError.BadRequest("Missing required parameter: 'query'.", "query");
            return false;
        }

        if (!fields.HasPayload)
        {
            var required = operation switch
            {
                InferenceOperation.ChatCompletions => "messages",
                InferenceOperation.Completions => "prompt",
                InferenceOperation.Rerank => "documents",
                _ => "input",
            };
            error = ApiError.BadRequest($"Missing required parameter: '{required}'.", required);
            return false;
        }

        if (fields.Stream && !operation.CanStream())
        {
            error = ApiError.BadRequest("Streaming is not supported for this operation.", "stream");
            return false;
        }

        error = null;
        request = new InferenceRequest(operation, fields.Model ?? defaultModerationModel,
            modelOmitted ? new ByteRange(fields.ObjectStart, 0) : fields.ModelValue, fields.Stream,
            fields.Stream && fields.IncludeUsage, fields.StreamOptionsValue, fields.MaxTokens)
        {
            ModelOmitted = modelOmitted,
        };
        return true;
    }

    private struct Fields
    {
        /// <summary>Just inside the body's opening brace: where a model the body does not name is inserted.</summary>
        public int ObjectStart;
        public string? Model;
        public ByteRange ModelValue;
        public bool Stream;
        public bool IncludeUsage;
        public ByteRange? StreamOptionsValue;
        public int? MaxTokens;
        public bool HasPayload;
        public bool HasQuery;
    }
}
