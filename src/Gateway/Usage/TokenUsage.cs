namespace AiPlatform.Gateway.Usage;

/// <summary>Token counts as the upstream reported them in its <c>usage</c> object.</summary>
public readonly record struct TokenUsage(int PromptTokens, int CompletionTokens, int TotalTokens);
