using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary>A variable; undefined when no scope (nor the globals) has it.</summary>
internal sealed class NameExpression(SourcePosition position, string name) : Expression(position)
{
    public string Name => name;

    protected override object? EvaluateCore(RenderContext context, Scope scope) => scope.Get(name);
}

/// <summary><c>target.name</c>.</summary>
internal sealed class AttributeExpression(SourcePosition position, Expression target, string name) : Expression(position)
{
    public string Name => name;

    protected override object? EvaluateCore(RenderContext context, Scope scope) =>
        Access.GetAttribute(target.Evaluate(context, scope), name);
}

/// <summary><c>target[key]</c> (and <c>target.0</c>).</summary>
internal sealed class ItemExpression(SourcePosition position, Expression target, Expression key) : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope) =>
        Access.GetItem(target.Evaluate(context, scope), key.Evaluate(context, scope));
}

/// <summary><c>target[start:stop:step]</c>, any part omitted.</summary>
internal sealed class SliceExpression(SourcePosition position, Expression target, Expression? start, Expression? stop, Expression? step)
    : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope) =>
        Slicing.Slice(target.Evaluate(context, scope), start?.Evaluate(context, scope), stop?.Evaluate(context, scope),
            step?.Evaluate(context, scope));
}
