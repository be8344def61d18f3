using System.Text;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary><c>{% set target = value %}</c>, in the current scope.</summary>
internal sealed class SetStatement(SourcePosition position, AssignTarget target, Expression value) : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        target.Assign(scope, value.Evaluate(context, scope));
        return Flow.Normal;
    }
}

/// <summary><c>{% set name | filters %}body{% endset %}</c>: the rendered body (through the filters), as a string.</summary>
internal sealed class SetBlockStatement(SourcePosition position, AssignTarget target, Block body, IReadOnlyList<FilterCall> filters)
    : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        target.Assign(scope, FilterCall.Apply(filters, context, scope, body.Capture(context, scope)));
        return Flow.Normal;
    }
}

/// <summary><c>{% with a = 1, b = 2 %}…{% endwith %}</c>: the names exist only inside.</summary>
internal sealed class WithStatement(SourcePosition position, IReadOnlyList<KeyValuePair<AssignTarget, Expression>> assignments, Block body)
    : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        var inner = new Scope(scope);
        foreach (var (target, value) in assignments)
        {
            // Jinja evaluates each value in the outer scope.
            target.Assign(inner, value.Evaluate(context, scope));
        }

        return body.Render(context, inner, output);
    }
}

/// <summary><c>{% filter upper | trim %}body{% endfilter %}</c>: the rendered body through the filters.</summary>
internal sealed class FilterBlockStatement(SourcePosition position, IReadOnlyList<FilterCall> filters, Block body) : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        output.Append(PyFormat.Str(FilterCall.Apply(filters, context, scope, body.Capture(context, scope))));
        return Flow.Normal;
    }
}

/// <summary>One filter of a <c>{% filter %}</c> or <c>{% set … | filter %}</c> chain, resolved at parse time.</summary>
internal sealed class FilterCall(SourcePosition position, Filter filter, ArgumentList arguments)
{
    public static object? Apply(IReadOnlyList<FilterCall> filters, RenderContext context, Scope scope, object? value)
    {
        foreach (var call in filters)
        {
            value = call.Apply(context, scope, value);
        }

        return value;
    }

    private object? Apply(RenderContext context, Scope scope, object? value)
    {
        try
        {
            return filter(context, value, arguments.Evaluate(context, scope));
        }
        catch (TemplateError error)
        {
            throw ChatTemplateException.At(position, error.Message);
        }
    }
}
