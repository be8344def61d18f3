using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// The <c>Inference:Onnx</c> section: the model folders this worker serves (<c>Models:0:Name</c>, <c>Models:0:Path</c>),
/// the device, and how many sequences run at once.
/// </summary>
public sealed class OnnxOptions
{
    public const string SectionName = "Inference:Onnx";

    /// <summary>Each served model: the name clients send, and its folder in Hugging Face Optimum's layout.</summary>
    public List<OnnxModelOptions> Models { get; set; } = [];

    /// <summary><c>cpu</c> (default) or <c>cuda</c>; CUDA needs the CUDA build of ONNX Runtime and a device, else the worker says so and uses the CPU.</summary>
    public OnnxDevice Device { get; set; } = OnnxDevice.Cpu;

    /// <summary>The CUDA device to use.</summary>
    [Range(0, 64, ErrorMessage = "Inference:Onnx:DeviceId must be between {1} and {2}.")]
    public int DeviceId { get; set; }

    /// <summary>
    /// Sequences decoded at once, each in its own run of the shared session (vLLM's <c>max_num_seqs</c>); further
    /// admitted requests wait. More than the cores on a CPU only adds contention.
    /// </summary>
    [Range(1, 1024, ErrorMessage = "Inference:Onnx:MaxConcurrentSequences must be between {1} and {2}.")]
    public int MaxConcurrentSequences { get; set; } = 2;

    /// <summary>Threads one run may use on the CPU; 0 lets ONNX Runtime choose (one per core).</summary>
    [Range(0, 1024, ErrorMessage = "Inference:Onnx:IntraOpThreads must be between {1} and {2}.")]
    public int IntraOpThreads { get; set; }

    /// <summary>Tokens generated when a request sets no <c>max_tokens</c> (always bounded by the model's context).</summary>
    [Range(1, 1_000_000, ErrorMessage = "Inference:Onnx:DefaultMaxTokens must be between {1} and {2}.")]
    public int DefaultMaxTokens { get; set; } = 256;
}

public sealed class OnnxModelOptions
{
    public string Name { get; set; } = "";

    public string Path { get; set; } = "";
}

public enum OnnxDevice
{
    Cpu,
    Cuda,
}

/// <summary>On a worker whose engine is <c>onnx</c>: at least one model, each with a name and a folder, names unique.</summary>
internal sealed class OnnxOptionsValidator(IOptions<InferenceOptions> inference) : IValidateOptions<OnnxOptions>
{
    public ValidateOptionsResult Validate(string? name, OnnxOptions options)
    {
        if (inference.Value.Engine != EngineKind.Onnx)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.Models.Count == 0)
        {
            return ValidateOptionsResult.Fail("Inference:Onnx:Models must list at least one model (Inference:Onnx:Models:0:Name and :Path) when Inference:Engine is onnx.");
        }

        for (var i = 0; i < options.Models.Count; i++)
        {
            var model = options.Models[i];
            if (string.IsNullOrWhiteSpace(model.Name) || string.IsNullOrWhiteSpace(model.Path))
            {
                return ValidateOptionsResult.Fail($"Inference:Onnx:Models:{i} needs both Name and Path.");
            }

            if (options.Models.FindIndex(m => m.Name == model.Name) != i)
            {
                return ValidateOptionsResult.Fail($"Inference:Onnx:Models:{i}:Name '{model.Name}' is listed twice.");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
