using System.Text;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>Makes an upstream's error answer an OpenAI-shaped one.</summary>
internal static class UpstreamErrors
{
    private const int MaxQuotedChars = 500;

    /// <summary>True when the body already is <c>{"error": {"message": "...", ...}}</c>.</summary>
    public static bool IsOpenAIError(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (isError)
                {
                    return reader.TokenType == JsonTokenType.StartObject && HasMessage(ref reader);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    public static ApiError Wrap(int status, int upstreamStatus, ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body.Length > MaxQuotedChars * 4 ? body[..(MaxQuotedChars * 4)] : body).Trim();
        if (text.Length > MaxQuotedChars)
        {
            text = text[..MaxQuotedChars] + "…";
        }

        var type = status switch
        {
            StatusCodes.Status429TooManyRequests => ApiErrorTypes.RateLimit,
            >= 500 => ApiErrorTypes.Server,
            _ => ApiErrorTypes.InvalidRequest,
        };
        var message = text.Length == 0
            ? $"The model backend answered {upstreamStatus}."
            : $"The model backend answered {upstreamStatus}: {text}";
        return new ApiError(status, message, type, "upstream_error");
    }

    private static bool HasMessage(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            if (isMessage)
            {
                return reader.TokenType == JsonTokenType.String;
            }

            reader.Skip();
        }

        return false;
    }
}
