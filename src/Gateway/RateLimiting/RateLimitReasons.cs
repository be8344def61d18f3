namespace AiPlatform.Gateway.RateLimiting;

/// <summary>The messages of 429 answers, worded like OpenAI's so that users recognise them.</summary>
internal static class RateLimitReasons
{
    public static string Describe(bool neverFits, RateLimitRequest request, LimitState? requests, LimitState? tokens)
    {
        if (neverFits)
        {
            return $"Request too large: it needs about {request.TokenEstimate} tokens but the limit is {request.Tpm} tokens per minute. " +
                   "Lower max_tokens or the prompt's size.";
        }

        if (requests is { Remaining: <= 0 } r)
        {
            return $"Rate limit reached for requests per minute: limit {r.Limit}. Try again in {RateLimitHeaders.FormatDuration(r.ResetIn)}.";
        }

        if (tokens is { } t && t.Remaining < request.TokenEstimate)
        {
            return $"Rate limit reached for tokens per minute: limit {t.Limit}, remaining {t.Remaining}, requested about {request.TokenEstimate}.";
        }

        return "Rate limit reached for requests per minute from this client address.";
    }
}
