using System.Text.Json;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// Reads the top-level <c>usage</c> object of an OpenAI answer or stream chunk (or a rerank answer) with a forward-only
/// reader.
/// For a chunk it also tells whether it is the final usage chunk (<c>choices</c> empty), which the relay
/// hides from clients that did not ask for it.
/// </summary>
public static class UsageReader
{
    public static bool TryRead(ReadOnlySpan<byte> json, out TokenUsage usage, out bool hasEmptyChoices)
    {
        usage = default;
        hasEmptyChoices = false;
        var found = false;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    found = reader.TokenType == JsonTokenType.StartObject && TryReadCounts(ref reader, out usage);
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    hasEmptyChoices = SkipCountingElements(ref reader) == 0;
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
            // InvalidOperationException: a member name escaping a lone surrogate, which ValueTextEquals cannot compare.
            return false;
        }

        return found;
    }

    /// <summary>Skips the current value; for an array, returns how many elements it had (-1 for anything else).</summary>
    private static int SkipCountingElements(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return -1;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            count++;
        }

        return count;
    }

    /// <summary>
    /// Reads the counts of the <c>usage</c> object the reader stands at the start of: chat completions' names, or the
    /// Responses API's (<c>input_tokens</c>, <c>output_tokens</c>).
    /// </summary>
    internal static bool TryReadCounts(ref Utf8JsonReader reader, out TokenUsage usage)
    {
        int prompt = -1, completion = -1, total = -1;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != depth + 1)
            {
                continue;
            }

            var field = reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8) ? 1
                : reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8) ? 2
                : reader.ValueTextEquals("total_tokens"u8) ? 3
                : 0;
            reader.Read();
            if (field == 0 || reader.TokenType != JsonTokenType.Number)
            {
                reader.Skip();
                continue;
            }

            // A count that is no int32 (1.5, 1e10) is ignored rather than thrown on: it came from upstream, mid-stream.
            if (!reader.TryGetInt32(out var value))
            {
                continue;
            }

            switch (field)
            {
                case 1: prompt = value; break;
                case 2: completion = value; break;
                default: total = value; break;
            }
        }

        // A usage of total_tokens alone (rerank's, as vLLM and Jina send it) counts only input: nothing was generated.
        if (prompt < 0 && completion < 0 && total >= 0)
        {
            usage = new TokenUsage(total, 0, total);
            return true;
        }

        (prompt, completion) = (Math.Max(prompt, 0), Math.Max(completion, 0));
        usage = new TokenUsage(prompt, completion, total >= 0 ? total : prompt + completion);
        return true;
    }
}
