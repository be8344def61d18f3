using System.Text.Json;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Responses;

/// <summary>
/// The last event of a Responses API stream from a target that serves it itself: <c>response.completed</c>,
/// <c>.incomplete</c> or <c>.failed</c>, which ends the stream as <c>[DONE]</c> ends a chat stream, carrying the usage in
/// its <c>response</c>. Read only for events that start as OpenAI writes them (<c>{"type":"response.</c>), so a chat
/// stream pays one comparison per event.
/// </summary>
internal static class ResponsesStreamEnd
{
    public static ReadOnlySpan<byte> EventStart => "{\"type\":\"response."u8;

    public static bool TryRead(ReadOnlySpan<byte> data, out TokenUsage? usage)
    {
        usage = null;
        var ended = false;
        var reader = new Utf8JsonReader(data);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    ended = reader.ValueTextEquals("response.completed"u8) || reader.ValueTextEquals("response.incomplete"u8)
                        || reader.ValueTextEquals("response.failed"u8);
                    if (!ended)
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("response"u8))
                {
                    reader.Read();
                    usage = UsageOf(ref reader);
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
            // Upstream bytes that are no JSON: no end seen.
            return false;
        }

        return ended;
    }

    private static TokenUsage? UsageOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        TokenUsage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isUsage && reader.TokenType == JsonTokenType.StartObject && UsageReader.TryReadCounts(ref reader, out var counts))
            {
                usage = counts;
            }
            else
            {
                reader.Skip();
            }
        }

        return usage;
    }
}
