using System.Buffers;

namespace AiPlatform.InferenceWorker.Api;

internal enum GenerationKind
{
    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    Chat,

    /// <summary><c>POST /v1/completions</c> (the legacy text API).</summary>
    Completion,
}

internal enum FinishReason
{
    Stop,
    Length,
}

/// <summary>A chat message as the simulator reads it: its role and its text (text parts joined).</summary>
internal readonly record struct ChatMessage(string Role, string Content);

/// <summary>A validated chat or text completion request, with the body it came in for engines that forward it.</summary>
internal sealed class GenerationRequest
{
    public required GenerationKind Kind { get; init; }

    public required string Model { get; init; }

    /// <summary>The conversation (chat only).</summary>
    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];

    /// <summary>The prompts (completions only); each gets <see cref="N"/> choices, indexed prompt-major as OpenAI does.</summary>
    public IReadOnlyList<TextOrTokenIds> Prompts { get; init; } = [];

    public int N { get; init; } = 1;

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Stop strings as UTF-8, empty strings left out.</summary>
    public IReadOnlyList<byte[]> Stop { get; init; } = [];

    public long? Seed { get; init; }

    /// <summary>Used by the onnx engine's sampler; accepted and ignored by the simulator, whose answers do not depend on it.</summary>
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling's probability mass (onnx engine).</summary>
    public double? TopP { get; init; }

    /// <summary>Sampling among the k likeliest tokens (vLLM's extension; onnx engine); null when off (absent, 0 or -1).</summary>
    public int? TopK { get; init; }

    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>The request body as received; valid until the request ends.</summary>
    public ReadOnlySequence<byte> Body { get; init; }
}

internal enum EmbeddingEncoding
{
    Float,
    Base64,
}

/// <summary>A prompt or an embeddings input: text, or token ids (then <see cref="Text"/> is the ids joined by spaces).</summary>
internal readonly record struct TextOrTokenIds(string Text, int? TokenCount)
{
    /// <summary>The ids a token-id input holds; null for text.</summary>
    public int[]? TokenIds() => TokenCount is null
        ? null
        : [.. Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id, System.Globalization.CultureInfo.InvariantCulture))];
}

internal sealed class EmbeddingRequest
{
    public required string Model { get; init; }

    public required IReadOnlyList<TextOrTokenIds> Inputs { get; init; }

    public EmbeddingEncoding Encoding { get; init; }

    /// <summary>The <c>dimensions</c> parameter, when given.</summary>
    public int? Dimensions { get; init; }

    public ReadOnlySequence<byte> Body { get; init; }
}
