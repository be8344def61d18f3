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

        services.AddSingleton<SimulatorEngine>();
        services.AddSingleton<VllmEngine>();
        services.AddSingleton<IInferenceEngine>(sp => Kind(sp) switch
        {
            EngineKind.Vllm => sp.GetRequiredService<VllmEngine>(),
            _ => sp.GetRequiredService<SimulatorEngine>(),
        });
        services.AddSingleton(sp => new ServedModel(Kind(sp) switch
        {
            EngineKind.Vllm => sp.GetRequiredService<IOptions<VllmOptions>>().Value.Model ?? VllmOptions.UnnamedModel,
            _ => sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.Model,
        }));

        return builder;
    }

    private static EngineKind Kind(IServiceProvider services) =>
        services.GetRequiredService<IOptions<InferenceOptions>>().Value.Engine;
}
