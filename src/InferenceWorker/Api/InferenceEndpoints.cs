using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using AiPlatform.InferenceWorker.Admission;
using AiPlatform.InferenceWorker.Engines;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiPlatform.InferenceWorker.Api;

/// <summary>
/// OpenAI's inference API on <c>/v1</c>. Every generating request goes the same way: read the body, validate it, check
/// the model, pass admission control, hand it to the engine, which writes the answer.
/// </summary>
public static partial class InferenceEndpoints
{
    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1");
        api.MapPost("/chat/completions", CreateChatCompletionAsync).WithName("CreateChatCompletion");
        api.MapPost("/completions", CreateCompletionAsync).WithName("CreateCompletion");
        api.MapPost("/embeddings", CreateEmbeddingsAsync).WithName("CreateEmbeddings");
        api.MapGet("/models", ListModelsAsync).WithName("ListModels");
        return app;
    }

    internal static Task<Results<EmptyHttpResult, ApiErrorResult>> CreateChatCompletionAsync(HttpContext context, [AsParameters] InferenceServices services) =>
        ServeAsync<GenerationRequest>(context, services, RequestParser.TryParseChat,
            static request => request.Model, static (engine, request, context) => engine.GenerateAsync(request, context));

    internal static Task<Results<EmptyHttpResult, ApiErrorResult>> CreateCompletionAsync(HttpContext context, [AsParameters] InferenceServices services) =>
        ServeAsync<GenerationRequest>(context, services, RequestParser.TryParseCompletion,
            static request => request.Model, static (engine, request, context) => engine.GenerateAsync(request, context));

    internal static Task<Results<EmptyHttpResult, ApiErrorResult>> CreateEmbeddingsAsync(HttpContext context, [AsParameters] InferenceServices services) =>
        ServeAsync<EmbeddingRequest>(context, services, RequestParser.TryParseEmbedding,
            static request => request.Model, static (engine, request, context) => engine.EmbedAsync(request, context));

    internal static async Task ListModelsAsync(HttpContext context, [AsParameters] InferenceServices services)
    {
        try
        {
            await services.Engine.ListModelsAsync(context);
        }
        catch (Exception exception) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientDisconnected(services.Logger, exception.GetType().Name);
        }
    }

    private delegate bool BodyParser<TRequest>(ReadOnlySequence<byte> body, [NotNullWhen(true)] out TRequest? request, [NotNullWhen(false)] out ApiError? error);

    private static async Task<Results<EmptyHttpResult, ApiErrorResult>> ServeAsync<TRequest>(HttpContext context, InferenceServices services,
        BodyParser<TRequest> parse, Func<TRequest, string> model, Func<IInferenceEngine, TRequest, HttpContext, Task> run)
    {
        var aborted = context.RequestAborted;
        try
        {
            // 1. The whole body, in the server's buffers: it is small, and the vLLM engine forwards it as it came.
            using var body = await RequestBody.ReadAsync(context.Request, aborted);

            // 2. Validation and the model, before the request takes a place in the queue.
            if (!parse(body.Buffer, out var request, out var error))
            {
                return new ApiErrorResult(error);
            }

            if (!services.Engine.Serves(model(request)))
            {
                return new ApiErrorResult(RequestParser.ModelNotFound(model(request)));
            }

            // 3. Admission: run, wait in line, or be refused with 503 + Retry-After.
            using var lease = await services.Admission.AdmitAsync(aborted);
            if (!lease.IsAcquired)
            {
                return services.Admission.Reject(context.Response);
            }

            // 4. The engine answers, and stops when the client goes away.
            await run(services.Engine, request, context);
            return TypedResults.Empty;
        }
        catch (Exception exception) when (aborted.IsCancellationRequested)
        {
            // The client went away (or a fault dropped the connection): nobody is left to answer.
            Log.ClientDisconnected(services.Logger, exception.GetType().Name);
            return TypedResults.Empty;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.ClientDisconnected, LogLevel.Debug, "Request ended early: the client disconnected ({Exception}).")]
        public static partial void ClientDisconnected(ILogger logger, string exception);
    }
}

/// <summary>What the inference endpoints need, bound with <c>[AsParameters]</c>.</summary>
internal sealed record InferenceServices(IInferenceEngine Engine, AdmissionController Admission, ILogger<InferenceServices> Logger);
