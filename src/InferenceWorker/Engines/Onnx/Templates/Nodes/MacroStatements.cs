using System.Text;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary>A macro's parameter: its name and, if it has one, its default (evaluated at each call, as Jinja does).</summary>
internal sealed record MacroParameter(string Name, Expression? Default);

/// <summary><c>{% macro name(a, b=1) %}…{% endmacro %}</c>: binds the macro, closed over the scope it is defined in.</summary>
internal sealed class MacroStatement(SourcePosition position, string name, IReadOnlyList<MacroParameter> parameters, Block body)
    : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        scope.Set(name, new Macro(name, parameters, body, scope));
        return Flow.Normal;
    }
}

/// <summary>
/// <c>{% call macro(args) %}body{% endcall %}</c> (or <c>{% call(x) … %}</c>): calls the macro with a <c>caller</c>
/// that renders the body, and prints the result.
/// </summary>
internal sealed class CallBlockStatement(SourcePosition position, CallExpression call, IReadOnlyList<MacroParameter> callerParameters, Block body)
    : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        var caller = new Macro("caller", callerParameters, body, scope);
        output.Append(PyFormat.Str(call.EvaluateWithCaller(context, scope, caller)));
        return Flow.Normal;
    }
}

/// <summary>
/// A macro value. A call renders the body in a new scope under the defining one, so the macro sees the template's
/// variables as they are when it is called, not the caller's loop variables; a missing argument without default is
/// undefined; extra arguments are an error, as in Jinja.
/// </summary>
internal sealed class Macro(string name, IReadOnlyList<MacroParameter> parameters, Block body, Scope closure) : Callable
{
    public override object? Call(RenderContext context, Arguments arguments) => Call(context, arguments, caller: null);

    public string Call(RenderContext context, Arguments arguments, Macro? caller)
    {
        if (arguments.Positional.Count > parameters.Count)
        {
            throw new TemplateError($"macro '{name}' takes not more than {parameters.Count} argument(s)");
        }

        context.EnterMacro(name);
        try
        {
            var scope = new Scope(closure);
            for (var i = 0; i < parameters.Count; i++)
            {
                var parameter = parameters[i];
                object? value;
                if (arguments.Has(i, parameter.Name))
                {
                    value = arguments.Get(i, parameter.Name);
                }
                else
                {
                    value = parameter.Default is null
                        ? Undefined.WithMessage($"parameter {PyFormat.Repr(parameter.Name)} was not provided")
                        : parameter.Default.Evaluate(context, scope);
                }

                scope.Set(parameter.Name, value);
            }

            foreach (var (key, _) in arguments.Keywords)
            {
                if (!parameters.Any(p => p.Name == key))
                {
                    throw new TemplateError($"macro '{name}' takes no keyword argument '{key}'");
                }
            }

            if (caller is not null)
            {
                scope.Set("caller", caller);
            }

            return body.Capture(context, scope);
        }
        finally
        {
            context.ExitMacro();
        }
    }

    public override string Describe() => $"<Macro '{name}'>";
}
