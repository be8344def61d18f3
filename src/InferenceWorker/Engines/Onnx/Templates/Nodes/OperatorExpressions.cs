using System.Text;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary><c>-x</c> and <c>+x</c>.</summary>
internal sealed class UnaryExpression(SourcePosition position, bool negate, Expression operand) : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope)
    {
        var value = operand.Evaluate(context, scope);
        return negate ? PyArithmetic.Negate(value) : PyArithmetic.Plus(value);
    }
}

/// <summary><c>not x</c>.</summary>
internal sealed class NotExpression(SourcePosition position, Expression operand) : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope) => !PyOps.IsTruthy(operand.Evaluate(context, scope));
}

/// <summary>The arithmetic operators <c>+ - * / // % **</c>, the operation chosen once at parse time.</summary>
internal sealed class BinaryExpression(SourcePosition position, string op, Expression left, Expression right) : Expression(position)
{
    private readonly Func<object?, object?, object?> _operation = op switch
    {
        "+" => PyArithmetic.Add,
        "-" => PyArithmetic.Subtract,
        "*" => PyArithmetic.Multiply,
        "/" => PyArithmetic.Divide,
        "//" => PyArithmetic.FloorDivide,
        "%" => PyArithmetic.Modulo,
        _ => PyArithmetic.Power,
    };

    protected override object? EvaluateCore(RenderContext context, Scope scope) =>
        _operation(left.Evaluate(context, scope), right.Evaluate(context, scope));
}

/// <summary><c>a ~ b ~ c</c>: the <c>str()</c> of each, joined; undefined parts are empty.</summary>
internal sealed class ConcatExpression(SourcePosition position, IReadOnlyList<Expression> parts) : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            builder.Append(PyFormat.Str(part.Evaluate(context, scope)));
        }

        return builder.ToString();
    }
}

/// <summary><c>a and b</c> / <c>a or b</c>: Python's short-circuit, yielding an operand, not a bool.</summary>
internal sealed class LogicalExpression(SourcePosition position, bool isAnd, Expression left, Expression right) : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope)
    {
        var first = left.Evaluate(context, scope);
        return PyOps.IsTruthy(first) == isAnd ? right.Evaluate(context, scope) : first;
    }
}

/// <summary><c>a == b</c>, <c>a in b</c>, … chained as in Python: <c>a &lt; b &lt; c</c> is <c>a &lt; b and b &lt; c</c>.</summary>
internal sealed class CompareExpression(SourcePosition position, Expression first, IReadOnlyList<KeyValuePair<string, Expression>> operations)
    : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope)
    {
        var left = first.Evaluate(context, scope);
        foreach (var (op, operand) in operations)
        {
            var right = operand.Evaluate(context, scope);
            var holds = op switch
            {
                "==" => PyOps.AreEqual(left, right),
                "!=" => !PyOps.AreEqual(left, right),
                "<" => PyOps.Compare(left, right, op) < 0,
                "<=" => PyOps.Compare(left, right, op) <= 0,
                ">" => PyOps.Compare(left, right, op) > 0,
                ">=" => PyOps.Compare(left, right, op) >= 0,
                "in" => PyOps.Contains(right, left),
                _ => !PyOps.Contains(right, left),
            };
            if (!holds)
            {
                return false;
            }

            left = right;
        }

        return true;
    }
}

/// <summary><c>a if condition else b</c>; without <c>else</c>, a false condition gives an undefined value.</summary>
internal sealed class ConditionalExpression(SourcePosition position, Expression condition, Expression whenTrue, Expression? whenFalse)
    : Expression(position)
{
    protected override object? EvaluateCore(RenderContext context, Scope scope)
    {
        if (PyOps.IsTruthy(condition.Evaluate(context, scope)))
        {
            return whenTrue.Evaluate(context, scope);
        }

        return whenFalse is null
            ? Undefined.WithMessage("the inline if-expression evaluated to false and no else section was defined.")
            : whenFalse.Evaluate(context, scope);
    }
}
