using AiPlatform.InferenceWorker.Engines;
using AiPlatform.InferenceWorker.Engines.Onnx;
using AiPlatform.InferenceWorker.Engines.Simulator;
using AiPlatform.InferenceWorker.Engines.Vllm;

namespace AiPlatform.InferenceWorker.Announcement;

/// <summary>What a worker announces it is: its engine (<c>simulator</c>, <c>vllm</c>, <c>onnx</c>) and the model names it serves.</summary>
internal sealed record WorkerProfile(string Engine, IReadOnlyList<string> Models)
{
    /// <summary>
    /// The simulator serves its one model. A vllm worker announces <c>Inference:Vllm:Model</c>, or no model when it is
    /// not set: which models the upstream serves is the upstream's business then, and Gateways cannot route by name to it.
    /// </summary>
    public static WorkerProfile From(InferenceOptions inference, SimulatorOptions simulator, VllmOptions vllm, OnnxOptions onnx) => inference.Engine switch
    {
        EngineKind.Vllm => new("vllm", string.IsNullOrWhiteSpace(vllm.Model) ? [] : [vllm.Model]),
        EngineKind.Onnx => new("onnx", [.. onnx.Models.Select(m => m.Name)]),
        _ => new("simulator", [simulator.Model]),
    };
}
