using Microsoft.ML.OnnxRuntime;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// Opens a model's ONNX Runtime session on the configured device: CUDA when asked for and available (the CUDA build of
/// ONNX Runtime and a device that opens), else the CPU, the reason said in the log. Which one it got is kept, for
/// <c>/v1/models</c> and the log.
/// </summary>
internal static partial class OnnxSessions
{
    private const string CudaProvider = "CUDAExecutionProvider";

    public static (InferenceSession Session, OnnxDevice Device) Open(string modelPath, OnnxOptions options, ILogger logger)
    {
        if (options.Device == OnnxDevice.Cuda)
        {
            if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider))
            {
                CudaUnavailable(logger, modelPath, "this build of ONNX Runtime has no CUDA provider (build the InferenceWorker with -p:OnnxRuntimeGpu=true)");
            }
            else
            {
                try
                {
                    using var cuda = CommonOptions(options);
                    cuda.AppendExecutionProvider_CUDA(options.DeviceId);
                    return (new InferenceSession(modelPath, cuda), OnnxDevice.Cuda);
                }
                catch (OnnxRuntimeException e)
                {
                    CudaUnavailable(logger, modelPath, e.Message);
                }
            }
        }

        using var cpu = CommonOptions(options);
        try
        {
            return (new InferenceSession(modelPath, cpu), OnnxDevice.Cpu);
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelException($"ONNX Runtime cannot load {modelPath}: {e.Message}", e);
        }
    }

    private static Microsoft.ML.OnnxRuntime.SessionOptions CommonOptions(OnnxOptions options) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = options.IntraOpThreads,
    };

    [LoggerMessage(9201, LogLevel.Warning, "The CUDA device was asked for but {Model} runs on the CPU: {Reason}.")]
    private static partial void CudaUnavailable(ILogger logger, string model, string reason);
}
