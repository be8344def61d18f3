using AiPlatform.Gateway.Pipeline;

namespace AiPlatform.Gateway.Requests;

/// <summary>The OpenAI-compatible inference routes, each sent down the <see cref="InferencePipeline"/>.</summary>
public static class InferenceEndpoints
{
    public static IEndpointRouteBuilder MapInferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/chat/completions", (HttpContext context, InferencePipeline pipeline) =>
            pipeline.HandleAsync(context, InferenceOperation.ChatCompletions)).WithName("CreateChatCompletion");
        v1.MapPost("/completions", (HttpContext context, InferencePipeline pipeline) =>
            pipeline.HandleAsync(context, InferenceOperation.Completions)).WithName("CreateCompletion");
        v1.MapPost("/embeddings", (HttpContext context, InferencePipeline pipeline) =>
            pipeline.HandleAsync(context, InferenceOperation.Embeddings)).WithName("CreateEmbedding");
        v1.MapPost("/moderations", (HttpContext context, InferencePipeline pipeline) =>
            pipeline.HandleAsync(context, InferenceOperation.Moderations)).WithName("CreateModeration");
        v1.MapPost("/rerank", (HttpContext context, InferencePipeline pipeline) =>
            pipeline.HandleAsync(context, InferenceOperation.Rerank)).WithName("CreateRerank");
        v1.MapPost("/responses", (HttpContext context, InferencePipeline pipeline) =>
            pipeline.HandleAsync(context, InferenceOperation.Responses)).WithName("CreateResponse");
        return app;
    }
}
