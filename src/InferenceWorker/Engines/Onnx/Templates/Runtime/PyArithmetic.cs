using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// Python's arithmetic operators as Jinja applies them: int stays int where Python keeps it so (overflow is an error
/// rather than a silent wrap, Python's ints being unbounded), <c>/</c> always gives a float, <c>//</c> and <c>%</c>
/// round towards negative infinity, <c>+</c> and <c>*</c> also join and repeat strings and lists.
/// </summary>
internal static class PyArithmetic
{
    /// <summary>A bound on <c>'x' * n</c>: a prompt is far smaller, and the product must not exhaust memory.</summary>
    private const long MaxRepeatedLength = 10_000_000;

    public static object? Add(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        switch (left)
        {
            case string s when right is string t:
                return string.Concat(s, t);
            case string:
                throw new TemplateError($"can only concatenate str (not \"{PyFormat.TypeName(right)}\") to str");
            case List<object?> list when right is List<object?> other:
                var joined = new List<object?>(list.Count + other.Count);
                joined.AddRange(list);
                joined.AddRange(other);
                return joined;
            case PyTuple tuple when right is PyTuple otherTuple:
                return new PyTuple([.. tuple, .. otherTuple]);
        }

        return Numeric(left, right, "+", (a, b) => checked(a + b), (a, b) => a + b);
    }

    public static object? Subtract(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        return Numeric(left, right, "-", (a, b) => checked(a - b), (a, b) => a - b);
    }

    public static object? Multiply(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        if (left is string or List<object?> && right is long or bool)
        {
            return Repeat(left, PyOps.ToLong(right));
        }

        if (right is string or List<object?> && left is long or bool)
        {
            return Repeat(right, PyOps.ToLong(left));
        }

        return Numeric(left, right, "*", (a, b) => checked(a * b), (a, b) => a * b);
    }

    public static object? Divide(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        RequireNumbers(left, right, "/");
        var divisor = PyOps.ToDouble(right!);
        if (divisor == 0)
        {
            throw new TemplateError("division by zero");
        }

        return PyOps.ToDouble(left!) / divisor;
    }

    public static object? FloorDivide(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        RequireNumbers(left, right, "//");
        if (left is double || right is double)
        {
            var divisor = PyOps.ToDouble(right!);
            if (divisor == 0)
            {
                throw new TemplateError("float floor division by zero");
            }

            return Math.Floor(PyOps.ToDouble(left!) / divisor);
        }

        var a = PyOps.ToLong(left!);
        var b = PyOps.ToLong(right!);
        if (b == 0)
        {
            throw new TemplateError("integer division or modulo by zero");
        }

        var quotient = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }

    public static object? Modulo(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        if (left is string)
        {
            // printf-style formatting; no chat template we know of uses it, and a wrong guess would change the prompt.
            throw new TemplateError("string formatting with '%' is not supported by this chat template engine");
        }

        RequireNumbers(left, right, "%");
        if (left is double || right is double)
        {
            var x = PyOps.ToDouble(left!);
            var y = PyOps.ToDouble(right!);
            if (y == 0)
            {
                throw new TemplateError("float modulo");
            }

            var remainder = x % y;
            return remainder != 0 && (remainder < 0) != (y < 0) ? remainder + y : remainder;
        }

        var a = PyOps.ToLong(left!);
        var b = PyOps.ToLong(right!);
        if (b == 0)
        {
            throw new TemplateError("integer division or modulo by zero");
        }

        var r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }

    public static object? Power(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        RequireNumbers(left, right, "** or pow()");
        if (left is not double && right is not double && PyOps.ToLong(right!) >= 0)
        {
            // Exponentiation by squaring: a template's 2 ** 10 is cheap and 1 ** 10**18 does not loop for ever.
            var result = 1L;
            var exponent = PyOps.ToLong(right!);
            var square = PyOps.ToLong(left!);
            try
            {
                while (exponent > 0)
                {
                    if ((exponent & 1) == 1)
                    {
                        result = checked(result * square);
                    }

                    exponent >>= 1;
                    if (exponent > 0)
                    {
                        square = checked(square * square);
                    }
                }
            }
            catch (OverflowException)
            {
                throw new TemplateError("integer overflow: the result does not fit in 64 bits");
            }

            return result;
        }

        return Math.Pow(PyOps.ToDouble(left!), PyOps.ToDouble(right!));
    }

    public static object? Negate(object? value) => value switch
    {
        Undefined undefined => throw undefined.Error(),
        // Each arm is boxed on its own: a switch over long and double arms would otherwise convert them all to double.
        long l => l == long.MinValue ? throw new TemplateError("integer overflow") : (object)(-l),
        double d => (object)(-d),
        bool b => b ? -1L : 0L,
        _ => throw new TemplateError($"bad operand type for unary -: '{PyFormat.TypeName(value)}'"),
    };

    public static object? Plus(object? value) => value switch
    {
        Undefined undefined => throw undefined.Error(),
        long or double => value,
        bool b => b ? 1L : 0L,
        _ => throw new TemplateError($"bad operand type for unary +: '{PyFormat.TypeName(value)}'"),
    };

    private static object Numeric(object? left, object? right, string op, Func<long, long, long> onLongs, Func<double, double, double> onDoubles)
    {
        RequireNumbers(left, right, op);
        try
        {
            return left is double || right is double
                ? (object)onDoubles(PyOps.ToDouble(left!), PyOps.ToDouble(right!))
                : onLongs(PyOps.ToLong(left!), PyOps.ToLong(right!));
        }
        catch (OverflowException)
        {
            throw new TemplateError("integer overflow: the result does not fit in 64 bits");
        }
    }

    private static void RequireNumbers(object? left, object? right, string op)
    {
        if (!PyOps.IsNumber(left) || !PyOps.IsNumber(right))
        {
            throw new TemplateError($"unsupported operand type(s) for {op}: '{PyFormat.TypeName(left)}' and '{PyFormat.TypeName(right)}'");
        }
    }

    private static void ThrowIfUndefined(object? left, object? right)
    {
        if (left is Undefined a)
        {
            throw a.Error();
        }

        if (right is Undefined b)
        {
            throw b.Error();
        }
    }

    private static object Repeat(object sequence, long times)
    {
        var length = sequence is string text ? text.Length : ((List<object?>)sequence).Count;
        if (times > 0 && length > 0 && times > MaxRepeatedLength / length)
        {
            throw new TemplateError($"repetition would build more than {MaxRepeatedLength} items");
        }

        if (sequence is string s)
        {
            if (times <= 0 || s.Length == 0)
            {
                return "";
            }

            return new StringBuilder(s.Length * (int)times).Insert(0, s, (int)times).ToString();
        }

        var list = (List<object?>)sequence;
        var result = new List<object?>();
        for (var i = 0L; i < times; i++)
        {
            result.AddRange(list);
        }

        return result;
    }
}
