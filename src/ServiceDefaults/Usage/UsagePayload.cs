namespace AiPlatform.ServiceDefaults.Usage;

/// <summary>
/// What a request of a key with <c>log_payloads</c> asked and was answered: the request body as the Gateway received it,
/// as text (never its headers, so never a credential), and the answer's text, null when there was none.
/// <see cref="Truncated"/> says that some of it is missing, cut by the Gateway or by the ledger (<see cref="Cap"/>).
/// The Gateway sends it with the usage event, UsageApi keeps and shows it, the Dashboard reads it.
/// </summary>
public sealed record UsagePayload(string Request, string? Response, bool Truncated)
{
    /// <summary>
    /// This payload with each text cut to at most <paramref name="maxChars"/> UTF-16 characters, never between the two
    /// halves of a surrogate pair, and marked truncated when anything was cut.
    /// </summary>
    public UsagePayload Cap(int maxChars)
    {
        var request = PayloadText.Cut(Request, maxChars, out _);
        var response = Response is null ? null : PayloadText.Cut(Response, maxChars, out _);
        return ReferenceEquals(request, Request) && ReferenceEquals(response, Response)
            ? this
            : new UsagePayload(request, response, Truncated: true);
    }
}
