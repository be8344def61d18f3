namespace AiPlatform.InferenceWorker.Engines;

/// <summary>The <c>Inference</c> configuration section: which engine serves the requests.</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary><c>Inference:Engine</c>: <c>simulator</c> (default), <c>vllm</c> or <c>onnx</c>, case-insensitive.</summary>
    public EngineKind Engine { get; set; } = EngineKind.Simulator;
}

public enum EngineKind
{
    Simulator,
    Vllm,

    /// <summary>ONNX Runtime, in process, on model folders exported with Hugging Face Optimum.</summary>
    Onnx,
}
