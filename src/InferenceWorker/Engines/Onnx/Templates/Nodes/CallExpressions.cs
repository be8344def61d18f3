using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary><c>callee(arguments)</c>: a global function, a macro, or a method such as <c>content.strip()</c>.</summary>
internal sealed class CallExpression(SourcePosition position, Expression callee, ArgumentList arguments) : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope)
    {
        var target = callee.Evaluate(context, scope);
        var values = arguments.Evaluate(context, scope);
        return target switch
        {
            Callable callable => callable.Call(context, values),
            Undefined undefined => throw undefined.Error(),
            _ => throw new TemplateError($"'{PyFormat.TypeName(target)}' object is not callable"),
        };
    }

    /// <summary>The call of a <c>{% call %}</c> block: the callee must be a macro, which gets the block as <c>caller</c>.</summary>
    public string EvaluateWithCaller(RenderContext context, Scope scope, Macro caller)
    {
        try
        {
            var target = callee.Evaluate(context, scope);
            if (target is not Macro macro)
            {
                throw new TemplateError($"a call block needs a macro, not '{PyFormat.TypeName(target)}'");
            }

            return macro.Call(context, arguments.Evaluate(context, scope), caller);
        }
        catch (TemplateError error)
        {
            throw ChatTemplateException.At(Position, error.Message);
        }
    }
}

/// <summary><c>target | name(arguments)</c>; the filter was resolved when the template was parsed.</summary>
internal sealed class FilterExpression(SourcePosition position, Expression target, Filter filter, ArgumentList arguments) : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope) =>
        filter(context, target.Evaluate(context, scope), arguments.Evaluate(context, scope));
}

/// <summary><c>target is [not] name(arguments)</c>; the test was resolved when the template was parsed.</summary>
internal sealed class TestExpression(SourcePosition position, Expression target, Test test, ArgumentList arguments, bool negated)
    : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope) =>
        test(context, target.Evaluate(context, scope), arguments.Evaluate(context, scope)) != negated;
}
