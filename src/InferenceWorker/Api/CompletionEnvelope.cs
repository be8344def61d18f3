using System.Text.Json;

namespace AiPlatform.InferenceWorker.Api;

/// <summary>Token counts of one request, as OpenAI's <c>usage</c> object reports them.</summary>
internal readonly record struct TokenUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}

/// <summary>
/// The fields every object of one answer repeats (<c>id</c>, <c>created</c>, <c>model</c>, <c>system_fingerprint</c>),
/// encoded once per request so that each streamed chunk writes them without allocating.
/// </summary>
internal sealed class CompletionEnvelope
{
    private CompletionEnvelope(GenerationKind kind, JsonEncodedText id, long created, JsonEncodedText model, JsonEncodedText? systemFingerprint)
    {
        Kind = kind;
        Id = id;
        Created = created;
        Model = model;
        SystemFingerprint = systemFingerprint;
    }

    public GenerationKind Kind { get; }

    public JsonEncodedText Id { get; }

    /// <summary>Unix seconds; the same in every chunk of a stream, as OpenAI's are.</summary>
    public long Created { get; }

    public JsonEncodedText Model { get; }

    public JsonEncodedText? SystemFingerprint { get; }

    public static CompletionEnvelope Create(GenerationKind kind, string model, TimeProvider time, string? systemFingerprint)
    {
        var prefix = kind == GenerationKind.Chat ? "chatcmpl-" : "cmpl-";
        return new CompletionEnvelope(
            kind,
            JsonEncodedText.Encode(prefix + Guid.NewGuid().ToString("N")),
            time.GetUtcNow().ToUnixTimeSeconds(),
            JsonEncodedText.Encode(model),
            systemFingerprint is null ? null : JsonEncodedText.Encode(systemFingerprint));
    }
}
