using System.Buffers;
using System.Text.Json;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Metrics;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// The built-in engine: behaves like a vLLM server (API, streaming, timing, a batch of bounded size with a queue
/// behind it, failures on demand) without a model, so that the platform runs and is tested on any machine. It says
/// it is a simulator in every answer (<c>system_fingerprint</c>) and in <c>/v1/models</c> (<c>owned_by</c>).
/// </summary>
/// <remarks>Thread-safe; one instance serves all requests.</remarks>
internal sealed class SimulatorEngine : IInferenceEngine, IDisposable
{
    public const string OwnedBy = "aiplatform-simulator";
    public const string SystemFingerprint = "simulator";

    private readonly SimulatorOptions _options;
    private readonly WorkerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly FaultInjector _faults;
    private readonly TokenPacer _pacer;
    private readonly SimulatedAnswerWriter _answers;
    private readonly SequenceSlots _sequences;
    private readonly long _createdAt;

    public SimulatorEngine(IOptions<SimulatorOptions> options, WorkerMetrics metrics, TimeProvider time, ILogger<SimulatorEngine> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _faults = new FaultInjector(_options, time, logger);
        _pacer = new TokenPacer(TimeSpan.FromMilliseconds(_options.TimeToFirstTokenMs), TimeSpan.FromMilliseconds(_options.InterTokenLatencyMs), time);
        _answers = new SimulatedAnswerWriter(_pacer, metrics, time);
        _sequences = new SequenceSlots(_options.MaxConcurrentSequences, metrics);
        _createdAt = time.GetUtcNow().ToUnixTimeSeconds();
    }

    public bool Serves(string model) => string.Equals(model, _options.Model, StringComparison.Ordinal);

    public async Task GenerateAsync(GenerationRequest request, HttpContext context)
    {
        // 1. Faults that end the request before it is scheduled.
        if (!_faults.TryResolve(context.Request, out var fault, out var error))
        {
            await error!.WriteAsync(context.Response);
            return;
        }

        if (await _faults.TryEndEarlyAsync(fault, context))
        {
            return;
        }

        // 2. A place in the batch; waiting for it counts as waiting, and as part of the time to the first token.
        var started = _time.GetTimestamp();
        using var sequence = await _sequences.AcquireAsync(context.RequestAborted);
        using var running = _metrics.TrackRunning();

        // 3. The answer is decided up front (it is deterministic); only its delivery takes time.
        var choices = Simulate(request, out var promptTokens);
        try
        {
            _metrics.AddPromptTokens(promptTokens);
            var envelope = CompletionEnvelope.Create(request.Kind, request.Model, _time, SystemFingerprint);
            var drop = fault == SimulatedFault.DropMidStream;
            if (request.Stream)
            {
                await _answers.StreamAsync(context, envelope, choices, promptTokens, request.IncludeUsage, drop, started);
            }
            else
            {
                await _answers.RespondAsync(context, envelope, choices, promptTokens, drop, started);
            }
        }
        finally
        {
            foreach (var choice in choices)
            {
                choice.Dispose();
            }
        }
    }

    public async Task EmbedAsync(EmbeddingRequest request, HttpContext context)
    {
        if (!_faults.TryResolve(context.Request, out var fault, out var error))
        {
            await error!.WriteAsync(context.Response);
            return;
        }

        var dimensions = request.Dimensions ?? _options.EmbeddingDimensions;
        if (dimensions > _options.EmbeddingDimensions)
        {
            await ApiError.BadRequest($"'dimensions' must be at most {_options.EmbeddingDimensions} for this model.", "dimensions").WriteAsync(context.Response);
            return;
        }

        if (await _faults.TryEndEarlyAsync(fault, context))
        {
            return;
        }

        using var sequence = await _sequences.AcquireAsync(context.RequestAborted);
        using var running = _metrics.TrackRunning();
        await _pacer.FirstTokenAsync(context.RequestAborted);
        if (fault == SimulatedFault.DropMidStream)
        {
            context.Abort();
            return;
        }

        var promptTokens = 0;
        foreach (var input in request.Inputs)
        {
            promptTokens += input.TokenCount ?? SimulatorTokenizer.Count(input.Text);
        }

        _metrics.AddPromptTokens(promptTokens);

        var response = context.Response;
        response.ContentType = "application/json";
        var vector = ArrayPool<float>.Shared.Rent(dimensions);
        try
        {
            using var writer = new Utf8JsonWriter(response.BodyWriter);
            OpenAIJson.WriteEmbeddingsStart(writer);
            for (var index = 0; index < request.Inputs.Count; index++)
            {
                var span = vector.AsSpan(0, dimensions);
                EmbeddingGenerator.Generate(StableHash.Of(request.Inputs[index].Text), span);
                OpenAIJson.WriteEmbedding(writer, index, span, request.Encoding);
            }

            OpenAIJson.WriteEmbeddingsEnd(writer, request.Model, promptTokens);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(vector);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public async Task ListModelsAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            OpenAIJson.WriteModels(writer, [(_options.Model, _createdAt, OwnedBy)]);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public void Dispose() => _sequences.Dispose();

    /// <summary>
    /// Chat: one prompt (the conversation), <c>n</c> choices. Completions: each prompt gets <c>n</c> choices, indexed
    /// prompt-major. Choice <c>i</c> of a prompt is seeded with <c>i</c>, so choices differ from each other.
    /// </summary>
    private SimulatedChoice[] Simulate(GenerationRequest request, out int promptTokens)
    {
        if (request.Kind == GenerationKind.Chat)
        {
            var hash = new StableHash();
            foreach (var message in request.Messages)
            {
                hash.Add(message.Role);
                hash.AddSeparator();
                hash.Add(message.Content);
                hash.AddSeparator();
            }

            promptTokens = SimulatorTokenizer.CountChat(request.Messages);
            return Generate(request, [hash.Value]);
        }

        promptTokens = 0;
        var hashes = new ulong[request.Prompts.Count];
        for (var p = 0; p < hashes.Length; p++)
        {
            hashes[p] = StableHash.Of(request.Prompts[p].Text);
            promptTokens += request.Prompts[p].TokenCount ?? SimulatorTokenizer.Count(request.Prompts[p].Text);
        }

        return Generate(request, hashes);
    }

    private SimulatedChoice[] Generate(GenerationRequest request, ulong[] promptHashes)
    {
        var choices = new SimulatedChoice[promptHashes.Length * request.N];
        for (var p = 0; p < promptHashes.Length; p++)
        {
            for (var i = 0; i < request.N; i++)
            {
                choices[(p * request.N) + i] = TextGenerator.Generate(promptHashes[p], request.Seed, i, _options.DefaultMaxTokens, request.MaxTokens, request.Stop);
            }
        }

        return choices;
    }
}
