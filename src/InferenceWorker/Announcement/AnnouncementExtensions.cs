using AiPlatform.InferenceWorker.Admission;
using AiPlatform.InferenceWorker.Engines;
using AiPlatform.InferenceWorker.Engines.Onnx;
using AiPlatform.InferenceWorker.Engines.Simulator;
using AiPlatform.InferenceWorker.Engines.Vllm;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Announcement;

public static class AnnouncementExtensions
{
    /// <summary>
    /// Announces the worker in Redis (<see cref="WorkerAnnouncer"/>) when <c>ConnectionStrings:cache</c> is configured.
    /// Redis stays out of <c>/health</c>: the worker serves without it, and an outage must not take it out of rotation.
    /// Needs the engines (<c>AddInferenceEngines</c>) and admission control (<c>AddAdmissionControl</c>).
    /// </summary>
    public static TBuilder AddWorkerAnnouncement<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<AnnounceOptions>()
            .BindConfiguration(AnnounceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AnnounceOptions>, AnnounceOptionsValidator>();

        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(KnownResourceNames.Cache)))
        {
            builder.AddPlatformRedisClient(healthCheck: false);
        }

        services.AddSingleton(sp => WorkerProfile.From(
            sp.GetRequiredService<IOptions<InferenceOptions>>().Value,
            sp.GetRequiredService<IOptions<SimulatorOptions>>().Value,
            sp.GetRequiredService<IOptions<VllmOptions>>().Value,
            sp.GetRequiredService<IOptions<OnnxOptions>>().Value));
        services.AddSingleton<VllmMetricsReader>();
        // The vLLM reader is created on a vllm worker only: a simulator worker has no Inference:Vllm:BaseUrl to read from.
        services.AddSingleton(sp => new WorkerLoadReader(
            sp.GetRequiredService<AdmissionController>(),
            sp.GetRequiredService<IOptions<InferenceOptions>>().Value.Engine == EngineKind.Vllm ? sp.GetRequiredService<VllmMetricsReader>() : null));
        services.AddHostedService<WorkerAnnouncer>();
        return builder;
    }
}
