using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary>
/// An expression of the template. Immutable once parsed, so one parsed template serves concurrent renders; all
/// per-render state lives in the <see cref="RenderContext"/> and <see cref="Scope"/> passed in.
/// </summary>
internal abstract class Expression(SourcePosition position)
{
    public SourcePosition Position => position;

    /// <summary>Evaluates the expression; a runtime error gets this expression's position unless an inner one already has one.</summary>
    public object? Evaluate(RenderContext context, Scope scope)
    {
        try
        {
            return EvaluateCore(context, scope);
        }
        catch (TemplateError error)
        {
            throw ChatTemplateException.At(position, error.Message);
        }
    }

    protected abstract object? EvaluateCore(RenderContext context, Scope scope);
}

/// <summary>The arguments written in a call, filter or test: positional expressions, then <c>name=expression</c>.</summary>
/// <remarks><c>*spread</c> adds a sequence's items to the positional arguments, <c>**spread</c> a dict's to the keywords.</remarks>
internal sealed class ArgumentList(
    IReadOnlyList<Expression> positional,
    IReadOnlyList<KeyValuePair<string, Expression>> keywords,
    Expression? positionalSpread = null,
    Expression? keywordSpread = null)
{
    public static readonly ArgumentList Empty = new([], []);

    public IReadOnlyList<Expression> Positional => positional;

    public Arguments Evaluate(RenderContext context, Scope scope)
    {
        if (positional.Count == 0 && keywords.Count == 0 && positionalSpread is null && keywordSpread is null)
        {
            return Arguments.Empty;
        }

        var values = new List<object?>(positional.Count);
        foreach (var argument in positional)
        {
            values.Add(argument.Evaluate(context, scope));
        }

        if (positionalSpread is not null)
        {
            values.AddRange(PyOps.Iterate(positionalSpread.Evaluate(context, scope)));
        }

        var named = new List<KeyValuePair<string, object?>>(keywords.Count);
        foreach (var (name, argument) in keywords)
        {
            named.Add(KeyValuePair.Create(name, argument.Evaluate(context, scope)));
        }

        if (keywordSpread is not null)
        {
            if (keywordSpread.Evaluate(context, scope) is not PyDict spread)
            {
                throw ChatTemplateException.At(keywordSpread.Position, "argument after ** must be a mapping");
            }

            foreach (var (key, value) in spread)
            {
                named.Add(KeyValuePair.Create(key as string ?? throw ChatTemplateException.At(keywordSpread.Position, "keywords must be strings"), value));
            }
        }

        return new Arguments(values, named);
    }
}
