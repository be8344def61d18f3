namespace AiPlatform.Gateway.Requests;

/// <summary>
/// What the Gateway needs to know of a request body, read in one pass without materialising it:
/// the model, whether it streams, whether the client asked for the usage chunk, and where in the
/// original bytes the <c>model</c> and <c>stream_options</c> values stand, so the upstream body can be
/// made by patching those ranges instead of re-serialising the whole document.
/// </summary>
public sealed record InferenceRequest(
    InferenceOperation Operation,
    string Model,
    ByteRange ModelValue,
    bool Stream,
    bool IncludeUsage,
    ByteRange? StreamOptionsValue,
    int? MaxTokens)
{
    /// <summary>
    /// The body names no model (a moderation may leave it out, as OpenAI's API allows) and <see cref="Model"/> is the
    /// configured default; <see cref="ModelValue"/> is then the empty range just inside the body's opening brace, where
    /// the upstream body gets a <c>model</c> member inserted.
    /// </summary>
    public bool ModelOmitted { get; init; }
}

/// <summary>A range of bytes in the request body: [Start, Start + Length).</summary>
public readonly record struct ByteRange(int Start, int Length)
{
    public int End => Start + Length;
}
