namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// A failure while rendering, raised by the runtime helpers, which do not know where in the template they were called
/// from. The expression node that called them catches it and rethrows it as a <see cref="ChatTemplateException"/>
/// naming its line and column.
/// </summary>
internal sealed class TemplateError(string message) : Exception(message);
