using AiPlatform.InferenceWorker.Api;

namespace AiPlatform.InferenceWorker.Engines;

/// <summary>
/// What serves the OpenAI API behind validation and admission control. An engine writes the whole response itself,
/// because the two engines answer in different ways: the simulator composes JSON and SSE, the vLLM engine relays
/// an upstream's bytes as they come.
/// </summary>
/// <remarks>
/// Called once per admitted request, concurrently. The request is over when the returned task ends; an engine
/// observes <see cref="HttpContext.RequestAborted"/> and stops working when the client goes away.
/// </remarks>
internal interface IInferenceEngine
{
    /// <summary>Whether a request naming <paramref name="model"/> is for this engine (else 404 <c>model_not_found</c>).</summary>
    bool Serves(string model);

    /// <summary>Chat completions and (legacy) completions, streamed or not.</summary>
    Task GenerateAsync(GenerationRequest request, HttpContext context);

    Task EmbedAsync(EmbeddingRequest request, HttpContext context);

    Task ListModelsAsync(HttpContext context);
}

/// <summary>The model name this worker serves, as the <c>model_name</c> label of its metrics.</summary>
internal sealed record ServedModel(string Name);
