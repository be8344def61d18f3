namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// A model folder the onnx engine cannot serve: a missing or unreadable file, a graph whose inputs or outputs are not
/// what the engine supports, a tokenizer or chat template it does not understand. Thrown at start, with a message that
/// names the file and what is wrong, so that the worker refuses to start rather than fail on the first request.
/// </summary>
public sealed class OnnxModelException(string message, Exception? inner = null) : Exception(message, inner);
