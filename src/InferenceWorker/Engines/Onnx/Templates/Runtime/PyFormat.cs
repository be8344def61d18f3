using System.Globalization;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// Python's <c>str()</c> and <c>repr()</c> of template values, which is what Jinja prints: <c>None</c>, <c>True</c>,
/// <c>1.0</c>, <c>[1, 'a']</c>, <c>{'k': 'v'}</c>. A template that prints a list or a number must produce the same
/// characters the model saw in training, so these follow CPython exactly for the types a template meets.
/// </summary>
internal static class PyFormat
{
    /// <summary><c>str(value)</c>; an undefined value prints as nothing (Jinja's default <c>Undefined</c>).</summary>
    public static string Str(object? value) => value switch
    {
        string s => s,
        Undefined => "",
        _ => Repr(value),
    };

    public static string Repr(object? value)
    {
        switch (value)
        {
            case string s:
                return ReprString(s);
            case null:
                return "None";
            case bool b:
                return b ? "True" : "False";
            case long l:
                return l.ToString(CultureInfo.InvariantCulture);
            case double d:
                return Float(d);
            default:
                var builder = new StringBuilder();
                AppendRepr(builder, value, new HashSet<object>(ReferenceEqualityComparer.Instance));
                return builder.ToString();
        }
    }

    /// <summary>Python's type name, as its error messages and Jinja's use it (<c>'int'</c>, <c>'NoneType'</c>).</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        PyTuple => "tuple",
        PyDict => "dict",
        Namespace => "Namespace",
        LoopContext => "LoopContext",
        Undefined => "Undefined",
        Callable => "function",
        _ => value.GetType().Name,
    };

    /// <summary>Jinja's <c>object_type_repr</c>, used in "'dict object' has no attribute 'x'".</summary>
    public static string TypeReprForUndefined(object? owner) => owner is null ? "'None'" : $"'{TypeName(owner)} object'";

    /// <summary>
    /// <c>repr(float)</c>: the shortest digits that round-trip (which .NET's "R" also finds), laid out as CPython does:
    /// positional for exponents -4 to 15 with at least one decimal (<c>1.0</c>), scientific otherwise (<c>1e+16</c>,
    /// <c>1e-05</c>).
    /// </summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (negative, digits, exponent) = ShortestDigits(value);
        var builder = new StringBuilder(digits.Length + 8);
        if (negative)
        {
            builder.Append('-');
        }

        if (exponent is >= -4 and < 16)
        {
            var point = exponent + 1; // digits before the decimal point
            if (point <= 0)
            {
                builder.Append("0.").Append('0', -point).Append(digits);
            }
            else if (point >= digits.Length)
            {
                builder.Append(digits).Append('0', point - digits.Length).Append(".0");
            }
            else
            {
                builder.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
            }
        }
        else
        {
            builder.Append(digits[0]);
            if (digits.Length > 1)
            {
                builder.Append('.').Append(digits, 1, digits.Length - 1);
            }

            builder.Append('e').Append(exponent < 0 ? '-' : '+')
                .Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>Splits .NET's shortest round-trip form ("1.5E+16", "0.001") into significant digits and exponent.</summary>
    private static (bool Negative, string Digits, int Exponent) ShortestDigits(double value)
    {
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? text[..dot] : text;
        var all = dot >= 0 ? integerPart + text[(dot + 1)..] : text;
        // The exponent of the first digit: the integer part's length shifted by any leading zeros.
        var firstNonZero = 0;
        while (firstNonZero < all.Length - 1 && all[firstNonZero] == '0')
        {
            firstNonZero++;
        }

        exponent += integerPart.Length - 1 - firstNonZero;
        var digits = all[firstNonZero..].TrimEnd('0');
        return (value < 0, digits.Length == 0 ? "0" : digits, exponent);
    }

    /// <summary>
    /// Appends <c>repr(value)</c>. <paramref name="open"/> holds the containers being printed: a namespace is the one
    /// mutable value, so <c>set ns.self = ns</c> can make a cycle, which Python prints as <c>{...}</c> or <c>[...]</c>.
    /// </summary>
    private static void AppendRepr(StringBuilder builder, object? value, HashSet<object> open)
    {
        if (value is List<object?> or PyTuple or PyDict or Namespace && !open.Add(value))
        {
            builder.Append(value switch { List<object?> => "[...]", PyTuple => "(...)", Namespace => "<Namespace {...}>", _ => "{...}" });
            return;
        }

        switch (value)
        {
            case string s:
                AppendReprString(builder, s);
                return;
            case List<object?> list:
                builder.Append('[');
                AppendItems(builder, list, open);
                builder.Append(']');
                break;
            case PyTuple tuple:
                builder.Append('(');
                AppendItems(builder, tuple, open);
                builder.Append(tuple.Count == 1 ? ",)" : ")");
                break;
            case PyDict dict:
                AppendDict(builder, dict, open);
                break;
            case Namespace ns:
                builder.Append("<Namespace ");
                AppendDict(builder, ns.ToDict(), open);
                builder.Append('>');
                break;
            case LoopContext loop:
                builder.Append("<LoopContext ").Append(loop.Index0 + 1).Append('/').Append(loop.Length).Append('>');
                return;
            case Undefined:
                builder.Append("Undefined");
                return;
            case Callable callable:
                builder.Append(callable.Describe());
                return;
            default:
                builder.Append(Repr(value));
                return;
        }

        open.Remove(value);
    }

    private static void AppendItems(StringBuilder builder, IReadOnlyList<object?> items, HashSet<object> open)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            AppendRepr(builder, items[i], open);
        }
    }

    private static void AppendDict(StringBuilder builder, PyDict dict, HashSet<object> open)
    {
        builder.Append('{');
        var first = true;
        foreach (var (key, item) in dict)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            AppendRepr(builder, key, open);
            builder.Append(": ");
            AppendRepr(builder, item, open);
        }

        builder.Append('}');
    }

    private static string ReprString(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        AppendReprString(builder, value);
        return builder.ToString();
    }

    /// <summary>
    /// <c>repr(str)</c>: single quotes unless the text has a single quote and no double quote; backslash escapes for
    /// the quote, backslash, \t \n \r and for characters Python does not consider printable.
    /// </summary>
    private static void AppendReprString(StringBuilder builder, string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        builder.Append(quote);
        foreach (var rune in value.EnumerateRunes())
        {
            var c = rune.Value;
            if (c == quote || c == '\\')
            {
                builder.Append('\\').Append((char)c);
            }
            else if (c == '\t')
            {
                builder.Append("\\t");
            }
            else if (c == '\n')
            {
                builder.Append("\\n");
            }
            else if (c == '\r')
            {
                builder.Append("\\r");
            }
            else if (IsPrintable(rune))
            {
                builder.Append(rune.ToString());
            }
            else if (c < 0x100)
            {
                builder.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (c < 0x10000)
            {
                builder.Append("\\u").Append(c.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append("\\U").Append(c.ToString("x8", CultureInfo.InvariantCulture));
            }
        }

        builder.Append(quote);
    }

    /// <summary>CPython's <c>str.isprintable</c> for one character: everything but separators and "other" categories, space excepted.</summary>
    private static bool IsPrintable(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }
}
