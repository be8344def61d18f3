using System.Globalization;

namespace AiPlatform.Gateway.RateLimiting;

/// <summary>Writes OpenAI's rate-limit headers (<c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c>).</summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, RateLimitDecision decision)
    {
        if (decision.Requests is { } requests)
        {
            response.Headers["x-ratelimit-limit-requests"] = requests.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-remaining-requests"] = requests.Remaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-reset-requests"] = FormatDuration(requests.ResetIn);
        }

        if (decision.Tokens is { } tokens)
        {
            response.Headers["x-ratelimit-limit-tokens"] = tokens.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-remaining-tokens"] = tokens.Remaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-reset-tokens"] = FormatDuration(tokens.ResetIn);
        }
    }

    /// <summary>OpenAI's duration style: <c>20ms</c>, <c>1.5s</c>, <c>6m0s</c>.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Max(0, (long)duration.TotalMilliseconds)}ms";
        }

        if (duration < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(duration.TotalSeconds, 3)}s");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalMinutes}m{duration.Seconds}s");
    }
}
