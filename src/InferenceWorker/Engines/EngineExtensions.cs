using AiPlatform.InferenceWorker.Engines.Onnx;
using AiPlatform.InferenceWorker.Engines.Simulator;
using AiPlatform.InferenceWorker.Engines.Vllm;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Engines;

public static class EngineExtensions
{
    /// <summary>
    /// Registers both engines and resolves the configured one on first use, so that only its options are demanded
    /// (a simulator worker needs no <c>Inference:Vllm:BaseUrl</c>) and only its resources are created.
    /// </summary>
    public static TBuilder AddInferenceEngines<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;

        services.AddOptions<InferenceOptions>()
            .BindConfiguration(InferenceOptions.SectionName)
            .ValidateOnStart();
        services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.AddOptions<VllmOptions>()
            .BindConfiguration(VllmOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<VllmOptions>, VllmOptionsValidator>();
        services.AddOptions<OnnxOptions>()
            .BindConfiguration(OnnxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OnnxOptions>, OnnxOptionsValidator>();

        services.AddSingleton<SimulatorEngine>();
        services.AddSingleton<VllmEngine>();
        services.AddSingleton<OnnxEngine>();
        services.AddSingleton<IInferenceEngine>(sp => Kind(sp) switch
        {
            EngineKind.Vllm => sp.GetRequiredService<VllmEngine>(),
            EngineKind.Onnx => sp.GetRequiredService<OnnxEngine>(),
            _ => sp.GetRequiredService<SimulatorEngine>(),
        });
        // The metrics' model_name label: the first model of an onnx worker that serves several.
        services.AddSingleton(sp => new ServedModel(Kind(sp) switch
        {
            EngineKind.Vllm => sp.GetRequiredService<IOptions<VllmOptions>>().Value.Model ?? VllmOptions.UnnamedModel,
            EngineKind.Onnx => sp.GetRequiredService<IOptions<OnnxOptions>>().Value.Models[0].Name,
            _ => sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.Model,
        }));
        // An onnx worker loads its models as it starts, so that a model folder it cannot serve stops the start with
        // the reason, instead of failing the first request.
        services.AddHostedService(sp => new EngineWarmUp(Kind(sp) == EngineKind.Onnx ? sp.GetRequiredService<IInferenceEngine> : null));

        return builder;
    }

    private sealed class EngineWarmUp(Func<IInferenceEngine>? load) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            load?.Invoke();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static EngineKind Kind(IServiceProvider services) =>
        services.GetRequiredService<IOptions<InferenceOptions>>().Value.Engine;
}
