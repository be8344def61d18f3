using AiPlatform.AppHost.Hosting;
using AiPlatform.ServiceDefaults.Configuration;

namespace Aspire.Hosting;

internal static class OnnxWorkerExtensions
{
    /// <summary>
    /// An InferenceWorker on the onnx engine serving <see cref="PlatformOptions.OnnxModel"/> under its name, on its own
    /// port. It announces itself in Redis, so the Gateway routes the model to it without configuration of its own.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddOnnxWorker(
        this IDistributedApplicationBuilder builder, PlatformOptions options, IResourceBuilder<IResourceWithConnectionString> cache)
    {
        var worker = builder.AddPlatformService<Projects.InferenceWorker>(PlatformOptions.OnnxWorkerName, options.Onnx.Port)
            .WithReference(cache).WaitFor(cache)
            .WithEnvironment("Inference__Engine", "onnx")
            .WithEnvironment("Inference__Onnx__Device", options.OnnxDevice)
            .WithEnvironment("Inference__Onnx__Models__0__Name", options.OnnxModelName!)
            .WithEnvironment("Inference__Onnx__Models__0__Path", options.OnnxModel!);
        return worker.WithEnvironment(KnownConfigNames.InferenceAnnounceAddressVariable, worker.GetEndpoint("http"));
    }
}
