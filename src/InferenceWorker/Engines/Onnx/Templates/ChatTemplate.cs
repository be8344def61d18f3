using System.Text;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates;

/// <summary>
/// A model's chat template (<c>tokenizer_config.json</c>'s <c>chat_template</c>), compiled once at the worker's start
/// and rendered per request into the prompt, the way transformers' <c>apply_chat_template</c> renders it: Jinja2 in an
/// immutable sandbox with <c>trim_blocks</c>, <c>lstrip_blocks</c> and loop controls, transformers' <c>tojson</c>,
/// <c>raise_exception</c> and <c>strftime_now</c>. The interpreter implements the part of Jinja chat templates use,
/// with Jinja's semantics; anything else is refused by <see cref="Parse"/>.
/// </summary>
/// <remarks>Thread-safe: the parsed tree is immutable and each <see cref="Render"/> keeps its state on its own.</remarks>
internal sealed class ChatTemplate
{
    private readonly Block _body;

    private ChatTemplate(Block body) => _body = body;

    /// <summary>Parses a template.</summary>
    /// <exception cref="OnnxModelException">The template is not valid Jinja or uses what this engine does not support; the message gives the line, column and what.</exception>
    public static ChatTemplate Parse(string source) => new(TemplateParser.Parse(source));

    /// <summary>Renders the prompt for one conversation.</summary>
    /// <exception cref="ChatTemplateException">The template refused the conversation (its <c>raise_exception</c>) or failed on it.</exception>
    public string Render(ChatTemplateInput input)
    {
        var output = new StringBuilder(1024);
        _body.Render(new RenderContext(input.TimeProvider), TemplateVariables.CreateRoot(input), output);
        return output.ToString();
    }
}
