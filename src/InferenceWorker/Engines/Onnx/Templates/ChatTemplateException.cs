namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates;

/// <summary>
/// A chat template refused to render a request: the template's own <c>raise_exception(message)</c> (its message is the
/// template's, e.g. "Conversation roles must alternate user/assistant/user/assistant/..."), or an error the
/// conversation provoked in it (a missing field, a type the template cannot handle), named with its template line and
/// column. Either way the request is what the template cannot take, so the caller answers 400 with the message.
/// </summary>
internal sealed class ChatTemplateException(string message) : Exception(message)
{
    internal static ChatTemplateException At(Syntax.SourcePosition position, string message) =>
        new($"{message} (chat template {position})");
}
