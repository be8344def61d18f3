using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary>A literal: string, int, float, <c>true</c>/<c>false</c>, <c>none</c>.</summary>
internal sealed class ConstantExpression(SourcePosition position, object? value) : Expression(position)
{
    public object? Value => value;

    protected override object? EvaluateCore(RenderContext context, Scope scope) => value;
}

/// <summary><c>[a, b]</c>: a new list on every evaluation, since the template may keep it.</summary>
internal sealed class ListExpression(SourcePosition position, IReadOnlyList<Expression> items) : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope)
    {
        var list = new List<object?>(items.Count);
        foreach (var item in items)
        {
            list.Add(item.Evaluate(context, scope));
        }

        return list;
    }
}

/// <summary><c>(a, b)</c> or <c>a, b</c>.</summary>
internal sealed class TupleExpression(SourcePosition position, IReadOnlyList<Expression> items) : Expression(position)
{
    public IReadOnlyList<Expression> Items => items;

    protected override object? EvaluateCore(RenderContext context, Scope scope)
    {
        var values = new object?[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = items[i].Evaluate(context, scope);
        }

        return new PyTuple(values);
    }
}

/// <summary><c>{'key': value}</c>; a repeated key keeps its first position and its last value, as in Python.</summary>
internal sealed class DictExpression(SourcePosition position, IReadOnlyList<KeyValuePair<Expression, Expression>> pairs) : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope)
    {
        var dict = new PyDict(pairs.Count);
        foreach (var (key, value) in pairs)
        {
            dict.Put(key.Evaluate(context, scope), value.Evaluate(context, scope));
        }

        return dict;
    }
}
