namespace AiPlatform.Gateway.Requests;

/// <summary>The OpenAI operations the Gateway forwards; each has its own path and body rules.</summary>
public enum InferenceOperation
{
    ChatCompletions,
    Completions,
    Embeddings,
    Moderations,

    /// <summary>The Cohere/Jina rerank API that vLLM serves (<c>/v1/rerank</c>); OpenAI has none.</summary>
    Rerank,

    /// <summary>OpenAI's Responses API (<c>/v1/responses</c>), sent to a chat completions target translated (see Responses/).</summary>
    Responses,
}

public static class InferenceOperationPaths
{
    public static string UpstreamPath(this InferenceOperation operation) => operation switch
    {
        InferenceOperation.ChatCompletions => "chat/completions",
        InferenceOperation.Completions => "completions",
        InferenceOperation.Embeddings => "embeddings",
        InferenceOperation.Moderations => "moderations",
        InferenceOperation.Rerank => "rerank",
        InferenceOperation.Responses => "responses",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>Whether the operation generates tokens; embeddings, moderations and rerank answer about their input alone.</summary>
    public static bool Generates(this InferenceOperation operation) =>
        operation is InferenceOperation.ChatCompletions or InferenceOperation.Completions or InferenceOperation.Responses;

    /// <summary>Only generations stream; the other operations answer with one JSON object.</summary>
    public static bool CanStream(this InferenceOperation operation) => operation.Generates();
}
