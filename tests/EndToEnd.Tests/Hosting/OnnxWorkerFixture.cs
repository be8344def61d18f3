using AiPlatform.Testing;
using AiPlatform.Testing.Onnx;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>
/// The platform started with <c>--onnx-model</c> on a small decoder the test writes (<see cref="TinyDecoder"/>), served
/// as <see cref="Model"/> by an InferenceWorker on the onnx engine beside the simulator.
/// </summary>
public sealed class OnnxWorkerFixture() : AppHostFixture(inferenceReplicas: 1, Arguments(), [OnnxWorker])
{
    public const string Model = "tiny";
    public const string OnnxWorker = "onnx-0";

    private static readonly string s_folder = Path.Combine("/tmp", $"aiplatform-e2e-onnx-{Guid.NewGuid():N}");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(s_folder, recursive: true);
    }

    private static string[] Arguments()
    {
        TinyDecoder.Write(s_folder, kvCache: true);
        return ["--onnx-model", s_folder, "--onnx-model-name", Model, "--onnx-port", $"{FreePort.Next()}"];
    }
}
