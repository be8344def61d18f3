using System.Text;
using System.Text.Json;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates;
using AiPlatform.InferenceWorker.Metrics;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// Serves models exported to ONNX with ONNX Runtime, in process: decoders for chat and completions (the model's own
/// tokenizer and chat template, a KV cache when the graph has one, greedy or sampled decoding, streaming token by
/// token), encoders for embeddings. Up to <see cref="OnnxOptions.MaxConcurrentSequences"/> sequences run at once, each
/// in its own runs of the model's shared session; the rest wait in arrival order, counted as waiting like vLLM's queue.
/// </summary>
/// <remarks>Models load when the engine is made, at the worker's start (<see cref="EngineExtensions"/>); thread-safe.</remarks>
internal sealed partial class OnnxEngine : IInferenceEngine, IDisposable
{
    public const string OwnedByPrefix = "aiplatform-onnx-";

    private readonly OnnxOptions _options;
    private readonly WorkerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, OnnxModel> _models = new(StringComparer.Ordinal);
    private readonly SequenceSlots _sequences;
    private readonly long _createdAt;

    public OnnxEngine(IOptions<OnnxOptions> options, WorkerMetrics metrics, TimeProvider time, ILogger<OnnxEngine> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        try
        {
            foreach (var configured in _options.Models)
            {
                var model = OnnxModel.Load(configured, _options, logger);
                _models[model.Name] = model;
                ModelLoaded(logger, model.Name, model is DecoderModel ? "generation" : "embeddings", Path.GetFullPath(configured.Path), model.Device.ToString().ToLowerInvariant());
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        _sequences = new SequenceSlots(_options.MaxConcurrentSequences, metrics);
        _createdAt = time.GetUtcNow().ToUnixTimeSeconds();
    }

    public bool Serves(string model) => _models.ContainsKey(model);

    public async Task GenerateAsync(GenerationRequest request, HttpContext context)
    {
        if (_models[request.Model] is not DecoderModel model)
        {
            await ApiError.BadRequest($"'{request.Model}' is an embedding model; it serves /v1/embeddings.", "model").WriteAsync(context.Response);
            return;
        }

        if (!TryPrompts(model, request, out var prompts, out var error) || !TryTokenBudget(model, request, prompts, out var maxTokens, out error))
        {
            await error.WriteAsync(context.Response);
            return;
        }

        var started = _time.GetTimestamp();
        using var sequence = await _sequences.AcquireAsync(context.RequestAborted);
        using var running = _metrics.TrackRunning();
        // Each prompt counts once however many choices it gets, as OpenAI and vLLM count it.
        var promptTokens = prompts.Sum(p => p.Count);
        _metrics.AddPromptTokens(promptTokens);
        var envelope = CompletionEnvelope.Create(request.Kind, request.Model, _time, $"onnx-{Name(model.Device)}");
        var stop = request.Stop.Select(Encoding.UTF8.GetString).ToList();
        var firstToken = false;
        void OnFirstToken()
        {
            if (!firstToken)
            {
                firstToken = true;
                _metrics.RecordTimeToFirstToken(_time.GetElapsedTime(started));
            }
        }

        try
        {
            if (request.Stream)
            {
                await OnnxAnswers.StreamAsync(context, envelope, request, prompts, promptTokens, (prompt, choice, onText) =>
                    ChoiceGenerator.GenerateAsync(model, prompt, TokenSampler.For(request, model.Config, choice), maxTokens, stop, _metrics, onText, OnFirstToken, context.RequestAborted));
            }
            else
            {
                var choices = new List<GeneratedChoice>(prompts.Count * request.N);
                foreach (var prompt in prompts)
                {
                    for (var i = 0; i < request.N; i++)
                    {
                        choices.Add(await ChoiceGenerator.GenerateAsync(model, prompt, TokenSampler.For(request, model.Config, choices.Count), maxTokens, stop,
                            _metrics, onText: null, OnFirstToken, context.RequestAborted));
                    }
                }

                await OnnxAnswers.RespondAsync(context, envelope, choices, promptTokens);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; its sequence slot is free again as this returns.
        }
    }

    public async Task EmbedAsync(EmbeddingRequest request, HttpContext context)
    {
        if (_models[request.Model] is not EncoderModel model)
        {
            await ApiError.BadRequest($"'{request.Model}' is a generation model; embeddings need an embedding model.", "model").WriteAsync(context.Response);
            return;
        }

        if (request.Dimensions is { } dimensions && dimensions != model.Graph.Hidden)
        {
            await ApiError.BadRequest($"'{request.Model}' gives {model.Graph.Hidden} dimensions; it cannot shorten them to {dimensions}.", "dimensions")
                .WriteAsync(context.Response);
            return;
        }

        if (!EncoderRun.TryTokenize(model, request.Inputs, out var inputs, out var error))
        {
            await error.WriteAsync(context.Response);
            return;
        }

        var started = _time.GetTimestamp();
        using var sequence = await _sequences.AcquireAsync(context.RequestAborted);
        using var running = _metrics.TrackRunning();
        var promptTokens = inputs.Sum(i => i.Length);
        _metrics.AddPromptTokens(promptTokens);
        var vectors = await Task.Run(() => EncoderRun.Embed(model, inputs, context.RequestAborted), context.RequestAborted);
        _metrics.RecordTimeToFirstToken(_time.GetElapsedTime(started));
        var response = context.Response;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            OpenAIJson.WriteEmbeddingsStart(writer);
            for (var index = 0; index < vectors.Length; index++)
            {
                OpenAIJson.WriteEmbedding(writer, index, vectors[index], request.Encoding);
            }

            OpenAIJson.WriteEmbeddingsEnd(writer, request.Model, promptTokens);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public async Task ListModelsAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            OpenAIJson.WriteModels(writer, _models.Values.Select(m => (m.Name, _createdAt, OwnedByPrefix + Name(m.Device))));
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }

        _sequences?.Dispose();
    }

    private static string Name(OnnxDevice device) => device == OnnxDevice.Cuda ? "cuda" : "cpu";

    /// <summary>
    /// Chat: the conversation through the model's chat template, its special tokens written by the template itself (as
    /// Hugging Face's apply_chat_template tokenizes). Completions: each prompt with the tokenizer's own special tokens.
    /// </summary>
    private bool TryPrompts(DecoderModel model, GenerationRequest request, out List<IReadOnlyList<int>> prompts, out ApiError error)
    {
        prompts = [];
        error = null!;
        if (request.Kind == GenerationKind.Completion)
        {
            foreach (var prompt in request.Prompts)
            {
                if (!model.TryTokens(prompt, "The prompt", out var ids, out var problem))
                {
                    error = ApiError.BadRequest(problem, "prompt");
                    return false;
                }

                prompts.Add(ids);
            }

            return true;
        }

        if (model.ChatTemplate is not { } template)
        {
            error = ApiError.BadRequest($"'{model.Name}' has no chat template (tokenizer_config.json's chat_template); send it to /v1/completions.", "messages");
            return false;
        }

        try
        {
            var text = template.Render(new ChatTemplateInput
            {
                Messages = [.. request.Messages.Select(m => new ChatTemplateMessage(m.Role, m.Content))],
                AddGenerationPrompt = true,
                SpecialTokens = model.TemplateTokens,
                TimeProvider = _time,
            });
            prompts.Add(model.Tokenizer.Encode(text, addSpecialTokens: false));
            return true;
        }
        catch (ChatTemplateException e)
        {
            error = ApiError.BadRequest(e.Message, "messages");
            return false;
        }
    }

    /// <summary>
    /// The tokens each choice may generate: <c>max_tokens</c>, else the configured default, within the model's context.
    /// A prompt that leaves no room, or a <c>max_tokens</c> beyond it, is refused with OpenAI's context-length error,
    /// which the Gateway's context-window fallbacks recognise.
    /// </summary>
    private bool TryTokenBudget(DecoderModel model, GenerationRequest request, List<IReadOnlyList<int>> prompts, out int maxTokens, out ApiError error)
    {
        error = null!;
        var longest = prompts.Max(p => p.Count);
        maxTokens = request.MaxTokens ?? _options.DefaultMaxTokens;
        if (model.Config.MaxPositions is not { } context)
        {
            return true;
        }

        var room = context - longest;
        if (room <= 0 || (request.MaxTokens is { } asked && asked > room))
        {
            error = new ApiError(StatusCodes.Status400BadRequest,
                $"This model's maximum context length is {context} tokens. However, you requested {longest + maxTokens} tokens ({longest} in the messages, {maxTokens} in the completion). Please reduce the length of the messages or completion.",
                ApiErrorTypes.InvalidRequest, "context_length_exceeded", "messages");
            return false;
        }

        maxTokens = Math.Min(maxTokens, room);
        return true;
    }

    [LoggerMessage(9200, LogLevel.Information, "Serving {Model} ({Kind}) from {Folder} on the {Device}.")]
    private static partial void ModelLoaded(ILogger logger, string model, string kind, string folder, string device);
}
