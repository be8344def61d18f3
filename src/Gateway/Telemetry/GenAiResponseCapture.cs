using System.Text.Json;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Streaming;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Telemetry;

/// <summary>
/// Reads what the GenAI conventions want of an answer as it passes: its id, the model that answered and each choice's
/// finish reason. Made only for a request whose span is recorded; a streamed answer is read only where it can hold one
/// of them (the first chunk, and chunks with a finish reason). One request's; not thread-safe.
/// </summary>
internal sealed class GenAiResponseCapture : IResponseCapture
{
    private static ReadOnlySpan<byte> FinishReasonProperty => "\"finish_reason\""u8;

    private List<string>? _finishReasons;

    public string? Id { get; private set; }

    public string? Model { get; private set; }

    public IReadOnlyList<string>? FinishReasons => _finishReasons;

    public void OnJsonBody(ReadOnlySpan<byte> body) => Read(body);

    public void OnStreamData(ReadOnlySpan<byte> data)
    {
        // vLLM sends "finish_reason":null in every chunk; only a string is one.
        if (Model is null || JsonMemberProbe.LastValueStartsWith(data, FinishReasonProperty, (byte)'"'))
        {
            Read(data);
        }
    }

    public void OnErrorAnswer(ReadOnlySpan<byte> body)
    {
    }

    public void OnErrorAnswer(ApiError error)
    {
    }

    private void Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    Id ??= reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    Model ??= reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    ReadFinishReasons(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Upstream bytes that are no JSON, or a member name escaping a lone surrogate: nothing more to learn.
        }
    }

    private void ReadFinishReasons(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFinishReason = reader.ValueTextEquals("finish_reason"u8);
                reader.Read();
                if (isFinishReason && reader.TokenType == JsonTokenType.String)
                {
                    (_finishReasons ??= []).Add(reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }
}
