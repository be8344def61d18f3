using System.Buffers;
using System.Text.Json;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Requests;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Usage;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// Keeps the answer to a request of a key with <c>log_payloads</c> as it passes, for the ledger record's payload: the
/// assistant's message (the first choice's) of a chat answer, streamed or not; a completion's text; nothing of
/// embeddings, moderations or rerank; or the error answer the client got. A streamed answer is assembled by the cache's
/// <see cref="StreamAssembler"/>, fed only until its text passes the cap. Made only for such keys, so no other request
/// pays for it; nothing of it is ever logged. One request's; not thread-safe.
/// </summary>
public sealed class PayloadCapture(InferenceOperation operation, bool stream, int maxChars) : IResponseCapture
{
    private readonly StreamAssembler? _assembler = stream && operation.CanStream() ? new StreamAssembler(operation) : null;
    private byte[]? _json;
    private byte[]? _errorBody;
    private ApiError? _error;

    public void OnJsonBody(ReadOnlySpan<byte> body)
    {
        // Only generations have text to keep; vectors, moderation scores and rerank scores are not worth a copy.
        if (operation is InferenceOperation.ChatCompletions or InferenceOperation.Completions)
        {
            _json = body.ToArray();
        }
    }

    public void OnStreamData(ReadOnlySpan<byte> data)
    {
        // Beyond the cap the text is cut anyway: one chunk past it tells that it was.
        if (_assembler is { } assembler && assembler.TextLength <= maxChars)
        {
            assembler.Add(data);
        }
    }

    public void OnErrorAnswer(ReadOnlySpan<byte> body) => _errorBody = body.ToArray();

    public void OnErrorAnswer(ApiError error) => _error = error;

    /// <summary>
    /// The payload of the request that sent <paramref name="requestBody"/> and got the answer seen here. Called once, after
    /// the response, so decoding and parsing never delay the answer.
    /// </summary>
    public UsagePayload Complete(ReadOnlySpan<byte> requestBody)
    {
        var request = PayloadText.Decode(requestBody, maxChars, out var requestCut);
        var response = ResponseText(out var responseCut);
        return new UsagePayload(request, response, requestCut || responseCut);
    }

    /// <summary>The answer as the payload keeps it (cut at the cap), for telemetry's captured message content.</summary>
    public string? Answer() => ResponseText(out _);

    private string? ResponseText(out bool truncated)
    {
        truncated = false;
        if (_error is not null)
        {
            return PayloadText.Decode(Serialize(_error), maxChars, out truncated);
        }

        if (_errorBody is not null)
        {
            return PayloadText.Decode(_errorBody, maxChars, out truncated);
        }

        var text = _json is not null ? AnswerText(_json) : _assembler?.Text();
        return text is null ? null : PayloadText.Cut(text, maxChars, out truncated);
    }

    /// <summary><c>choices[0].message.content</c> of a chat answer, <c>choices[0].text</c> of a completion; null when absent.</summary>
    private string? AnswerText(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0
                || choices[0] is not { ValueKind: JsonValueKind.Object } first)
            {
                return null;
            }

            var text = operation == InferenceOperation.ChatCompletions
                ? first.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content) ? content : default
                : first.TryGetProperty("text", out var completion) ? completion : default;
            return text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ReadOnlySpan<byte> Serialize(ApiError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            error.WriteTo(writer);
        }

        return buffer.WrittenSpan;
    }
}
