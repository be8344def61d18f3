namespace AiPlatform.Gateway.Requests;

/// <summary>The OpenAI operations the Gateway forwards; each has its own path and body rules.</summary>
public enum InferenceOperation
{
    ChatCompletions,
    Completions,
    Embeddings,
}

public static class InferenceOperationPaths
{
    public static string UpstreamPath(this InferenceOperation operation) => operation switch
    {
        InferenceOperation.ChatCompletions => "chat/completions",
        InferenceOperation.Completions => "completions",
        InferenceOperation.Embeddings => "embeddings",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    public static bool CanStream(this InferenceOperation operation) => operation != InferenceOperation.Embeddings;
}
