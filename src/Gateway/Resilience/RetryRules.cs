using AiPlatform.Gateway.Forwarding;

namespace AiPlatform.Gateway.Resilience;

/// <summary>What an attempt's outcome means for the next step and for the target's health.</summary>
internal static class RetryRules
{
    /// <summary>
    /// Worth another attempt elsewhere: the target could not be reached, did not answer in time, broke the exchange, or
    /// answered with a status that says "not now" (408, 429, 500, 502, 503, 504, the statuses OpenAI's SDKs retry).
    /// A caller's 4xx is never retried: another target would refuse it as well.
    /// </summary>
    public static bool IsRetryable(AttemptOutcome outcome) => outcome.Result switch
    {
        AttemptResult.Unreachable or AttemptResult.TimedOut or AttemptResult.Failed => true,
        AttemptResult.ErrorStatus => outcome.Status is 408 or 429 or 500 or 502 or 503 or 504,
        _ => false,
    };

    /// <summary>
    /// An error of the target in its recent figures: what a retry moves away from (no connection, no answer in time, a
    /// broken exchange, 408, 429, 5xx) and an answer cut mid-body. A caller's 4xx is the caller's error, not the target's.
    /// </summary>
    public static bool IsFailure(AttemptOutcome outcome) => outcome.BrokenMidBody || IsRetryable(outcome);

    /// <summary>The prompt does not fit the model's context window (OpenAI's code, or vLLM's wording, which has none).</summary>
    public static bool IsContextLengthExceeded(AttemptOutcome outcome) =>
        outcome is { Result: AttemptResult.ErrorStatus, Status: 400 or 413 }
        && (Contains(outcome.ErrorBody, "context_length_exceeded"u8) || Contains(outcome.ErrorBody, "maximum context length"u8));

    /// <summary>
    /// Whether the outcome counts for (true) or against (false) the target's health; null when it says nothing: a worker
    /// whose admission queue is full is busy, not sick, a 429 is the provider's quota, and a client that left tells nothing.
    /// </summary>
    public static bool? HealthVerdict(AttemptOutcome outcome) => outcome.Result switch
    {
        AttemptResult.Delivered => !outcome.BrokenMidBody,
        AttemptResult.ClientLeft => null,
        AttemptResult.ErrorStatus when outcome.Status == 429 => null,
        AttemptResult.ErrorStatus when outcome.Status == 503 && Contains(outcome.ErrorBody, "server_overloaded"u8) => null,
        AttemptResult.ErrorStatus => outcome.Status < 500,
        _ => false,
    };

    private static bool Contains(byte[] body, ReadOnlySpan<byte> text) => body.AsSpan().IndexOf(text) >= 0;
}
