using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// Python's semantics for the values templates handle: truthiness, equality, ordering, membership, iteration and length.
/// Values are <see langword="null"/> (None), <see cref="bool"/>, <see cref="long"/> (int), <see cref="double"/>
/// (float), <see cref="string"/>, <c>List&lt;object?&gt;</c> (list), <see cref="PyTuple"/>, <see cref="PyDict"/>,
/// <see cref="Undefined"/>, <see cref="Namespace"/>, <see cref="LoopContext"/> and <see cref="Callable"/>s.
/// </summary>
internal static class PyOps
{
    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        Undefined => false,
        List<object?> list => list.Count > 0,
        PyTuple tuple => tuple.Count > 0,
        PyDict dict => dict.Count > 0,
        _ => true,
    };

    /// <summary>Python's <c>==</c>. Jinja's <c>Undefined</c> equals only another <c>Undefined</c>.</summary>
    public static bool AreEqual(object? left, object? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        switch (left)
        {
            case null:
                return false;
            case string s:
                return right is string t && string.Equals(s, t, StringComparison.Ordinal);
            case bool or long or double when IsNumber(right):
                return CompareNumbers(left, right!) == 0;
            case Undefined:
                return right is Undefined;
            case List<object?> list:
                return right is List<object?> other && SequenceEqual(list, other);
            case PyTuple tuple:
                return right is PyTuple otherTuple && SequenceEqual(tuple, otherTuple);
            case PyDict dict:
                return right is PyDict otherDict && DictEqual(dict, otherDict);
            default:
                return false;
        }
    }

    /// <summary>Python's ordering (<c>&lt;</c> and friends): numbers, strings by code point, sequences item by item.</summary>
    public static int Compare(object? left, object? right, string op)
    {
        if (left is Undefined undefinedLeft)
        {
            throw undefinedLeft.Error();
        }

        if (right is Undefined undefinedRight)
        {
            throw undefinedRight.Error();
        }

        if (IsNumber(left) && IsNumber(right))
        {
            return CompareNumbers(left!, right!);
        }

        if (left is string s && right is string t)
        {
            return CompareCodePoints(s, t);
        }

        if (left is List<object?> or PyTuple && right is List<object?> or PyTuple && left.GetType() == right.GetType())
        {
            var a = (IReadOnlyList<object?>)left;
            var b = (IReadOnlyList<object?>)right;
            for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
            {
                if (!AreEqual(a[i], b[i]))
                {
                    return Compare(a[i], b[i], op);
                }
            }

            return a.Count.CompareTo(b.Count);
        }

        throw new TemplateError($"'{op}' not supported between instances of '{PyFormat.TypeName(left)}' and '{PyFormat.TypeName(right)}'");
    }

    /// <summary>Python's <c>in</c>: a substring, a list item, a dict key; nothing is in an undefined value.</summary>
    public static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string s:
                if (item is not string needle)
                {
                    throw new TemplateError($"'in <string>' requires string as left operand, not {PyFormat.TypeName(item)}");
                }

                return s.Contains(needle, StringComparison.Ordinal);
            case PyDict dict:
                return dict.TryGet(item, out _);
            case IReadOnlyList<object?> list:
                foreach (var element in list)
                {
                    if (AreEqual(element, item))
                    {
                        return true;
                    }
                }

                return false;
            case Undefined:
                return false;
            default:
                throw new TemplateError($"argument of type '{PyFormat.TypeName(container)}' is not iterable");
        }
    }

    /// <summary>
    /// What a <c>for</c> loop, <c>list</c> and the sequence filters walk: list and tuple items, a string's characters,
    /// a dict's keys; an undefined value is empty. Anything else is Python's "object is not iterable".
    /// </summary>
    public static IReadOnlyList<object?> Iterate(object? value) => value switch
    {
        IReadOnlyList<object?> list => list,
        string s => Characters(s),
        PyDict dict => [.. dict.Keys],
        Undefined => [],
        LoopContext loop => loop.Items,
        _ => throw new TemplateError($"'{PyFormat.TypeName(value)}' object is not iterable"),
    };

    /// <summary>Python's <c>len</c>; strings count code points, as Python does, not UTF-16 units.</summary>
    public static long Length(object? value) => value switch
    {
        string s => CodePointCount(s),
        IReadOnlyList<object?> list => list.Count,
        PyDict dict => dict.Count,
        Undefined => 0,
        LoopContext loop => loop.Length,
        _ => throw new TemplateError($"object of type '{PyFormat.TypeName(value)}' has no len()"),
    };

    public static bool IsNumber(object? value) => value is long or double or bool;

    /// <summary>A string's characters as Python sees them: one string per code point.</summary>
    public static List<object?> Characters(string s)
    {
        var result = new List<object?>(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            result.Add(rune.ToString());
        }

        return result;
    }

    public static int CodePointCount(string s)
    {
        var count = s.Length;
        foreach (var c in s)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }

        return count;
    }

    /// <summary>Python's <c>str.isspace</c> per character: .NET's whitespace plus the information separators \x1c-\x1f.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    /// <summary>Python's <c>str.strip(chars)</c>: whitespace when <paramref name="chars"/> is <see langword="null"/>.</summary>
    public static string Strip(string s, string? chars, bool start, bool end)
    {
        var first = 0;
        var last = s.Length - 1;
        while (start && first <= last && IsStripped(s[first], chars))
        {
            first++;
        }

        while (end && last >= first && IsStripped(s[last], chars))
        {
            last--;
        }

        return s[first..(last + 1)];
    }

    private static bool IsStripped(char c, string? chars) => chars is null ? IsSpace(c) : chars.Contains(c, StringComparison.Ordinal);

    private static int CompareCodePoints(string a, string b)
    {
        // Ordinal UTF-16 order differs from code point order only when surrogates meet characters above U+E000.
        var runesA = a.EnumerateRunes();
        var runesB = b.EnumerateRunes();
        while (true)
        {
            var hasA = runesA.MoveNext();
            var hasB = runesB.MoveNext();
            if (!hasA || !hasB)
            {
                return hasA.CompareTo(hasB);
            }

            var order = runesA.Current.Value.CompareTo(runesB.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }

    private static int CompareNumbers(object left, object right)
    {
        if (left is double || right is double)
        {
            return ToDouble(left).CompareTo(ToDouble(right));
        }

        return ToLong(left).CompareTo(ToLong(right));
    }

    public static double ToDouble(object value) => value switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        Undefined undefined => throw undefined.Error(),
        _ => throw new TemplateError($"must be real number, not {PyFormat.TypeName(value)}"),
    };

    public static long ToLong(object value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        Undefined undefined => throw undefined.Error(),
        _ => throw new TemplateError($"'{PyFormat.TypeName(value)}' object cannot be interpreted as an integer"),
    };

    private static bool SequenceEqual(IReadOnlyList<object?> a, IReadOnlyList<object?> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!AreEqual(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool DictEqual(PyDict a, PyDict b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGet(key, out var other) || !AreEqual(value, other))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Joins the <c>str()</c> of each item, as Jinja's <c>join</c> and <c>~</c> do.</summary>
    public static string JoinStr(IEnumerable<object?> items, string separator)
    {
        var builder = new StringBuilder();
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                builder.Append(separator);
            }

            first = false;
            builder.Append(PyFormat.Str(item));
        }

        return builder.ToString();
    }
}
