using System.Text;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary>How a statement ended: normally, or by <c>{% break %}</c> / <c>{% continue %}</c> (transformers enables Jinja's loopcontrols).</summary>
internal enum Flow
{
    Normal,
    Break,
    Continue,
}

/// <summary>A statement of the template: text, <c>{{ … }}</c> or a <c>{% … %}</c> block. Immutable once parsed.</summary>
internal abstract class Statement(SourcePosition position)
{
    public SourcePosition Position => position;

    public abstract Flow Render(RenderContext context, Scope scope, StringBuilder output);
}

/// <summary>A sequence of statements: a template's body or a block's.</summary>
internal sealed class Block(IReadOnlyList<Statement> statements)
{
    public static readonly Block Empty = new([]);

    public Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        foreach (var statement in statements)
        {
            var flow = statement.Render(context, scope, output);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    /// <summary>Renders into a new string, for <c>{% set x %}</c>, <c>{% filter %}</c> and macro bodies.</summary>
    public string Capture(RenderContext context, Scope scope)
    {
        var output = new StringBuilder();
        Render(context, scope, output);
        return output.ToString();
    }
}

/// <summary>Literal template text between tags, already trimmed as <c>trim_blocks</c>, <c>lstrip_blocks</c> and <c>-</c> ask.</summary>
internal sealed class TextStatement(SourcePosition position, string text) : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        output.Append(text);
        return Flow.Normal;
    }
}

/// <summary><c>{{ expression }}</c>: the value's <c>str()</c>, as Jinja prints it (None as "None", undefined as nothing).</summary>
internal sealed class OutputStatement(SourcePosition position, Expression expression) : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        output.Append(PyFormat.Str(expression.Evaluate(context, scope)));
        return Flow.Normal;
    }
}

/// <summary>A block rendered in a scope of its own: <c>{% generation %}</c>, which transformers renders as a call block.</summary>
internal sealed class ScopedBlockStatement(SourcePosition position, Block body) : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output) =>
        body.Render(context, new Scope(scope), output);
}
