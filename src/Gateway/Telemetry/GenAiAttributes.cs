using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Telemetry;

/// <summary>
/// Attribute names and values of the OpenTelemetry GenAI semantic conventions (gen_ai.*), and the Gateway's own
/// (aig.*), as its spans and metrics carry them.
/// </summary>
public static class GenAiAttributes
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";

    /// <summary>The older name of <see cref="ProviderName"/>, which some trace viewers still read.</summary>
    public const string System = "gen_ai.system";

    public const string RequestModel = "gen_ai.request.model";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string ResponseModel = "gen_ai.response.model";
    public const string ResponseId = "gen_ai.response.id";
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string TokenType = "gen_ai.token.type";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";

    public const string CacheStatus = "aig.cache.status";
    public const string Target = "aig.target";
    public const string Attempts = "aig.attempts";
    public const string KeyId = "aig.key.id";
    public const string RequestId = "aig.request.id";

    /// <summary>The provider before any target answered (a cache hit): the API every target speaks.</summary>
    public const string DefaultProvider = "openai";

    public static string OperationNameOf(InferenceOperation operation) => operation switch
    {
        InferenceOperation.ChatCompletions => "chat",
        InferenceOperation.Completions => "text_completion",
        InferenceOperation.Embeddings => "embeddings",

        // The GenAI conventions list neither; they take an API's own name for an operation they do not list.
        InferenceOperation.Moderations => "moderations",
        InferenceOperation.Rerank => "rerank",
        // A Responses request reaches telemetry as the chat request it was translated to; named the same way if it ever does not.
        InferenceOperation.Responses => "chat",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
