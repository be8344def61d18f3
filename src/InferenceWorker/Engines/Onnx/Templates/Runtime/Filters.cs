using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>A Jinja filter: <c>value | name(arguments)</c>.</summary>
internal delegate object? Filter(RenderContext context, object? value, Arguments arguments);

/// <summary>
/// The filters chat templates use, with Jinja 3.1's semantics (and transformers' <c>tojson</c>). A filter name outside
/// this table is refused when the template is parsed, as Jinja itself refuses an unknown filter at compile time.
/// </summary>
internal static partial class Filters
{
    private static readonly FrozenDictionary<string, Filter> s_filters = new Dictionary<string, Filter>
    {
        ["abs"] = (_, value, args) => Abs(NoArguments(value, args, "abs")),
        ["attr"] = (_, value, args) => Access.GetAttribute(value, PyFormat.Str(args.Expect("attr", "name").Get(0, "name"))),
        ["capitalize"] = (_, value, args) => StringMethods.Capitalize(Text(NoArguments(value, args, "capitalize"))),
        ["count"] = (_, value, args) => PyOps.Length(NoArguments(value, args, "count")),
        ["d"] = (_, value, args) => Default(value, args.Expect("default", "default_value", "boolean")),
        ["dictsort"] = (_, value, args) => DictSort(value, args.Expect("dictsort", "case_sensitive", "by", "reverse")),
        ["default"] = (_, value, args) => Default(value, args.Expect("default", "default_value", "boolean")),
        ["e"] = (_, value, args) => Escape(Text(NoArguments(value, args, "escape"))),
        ["escape"] = (_, value, args) => Escape(Text(NoArguments(value, args, "escape"))),
        ["first"] = (_, value, args) => First(NoArguments(value, args, "first")),
        ["float"] = (_, value, args) => ToFloat(value, args.Expect("float", "default")),
        ["indent"] = (_, value, args) => Indent(value, args.Expect("indent", "width", "first", "blank")),
        ["int"] = (_, value, args) => ToInt(value, args.Expect("int", "default", "base")),
        ["items"] = (_, value, args) => Items(NoArguments(value, args, "items")),
        ["join"] = (_, value, args) => Join(value, args.Expect("join", "d", "attribute")),
        ["last"] = (_, value, args) => Last(NoArguments(value, args, "last")),
        ["length"] = (_, value, args) => PyOps.Length(NoArguments(value, args, "length")),
        ["list"] = (_, value, args) => PyOps.Iterate(NoArguments(value, args, "list")).ToList(),
        ["lower"] = (_, value, args) => Text(NoArguments(value, args, "lower")).ToLowerInvariant(),
        ["map"] = Map,
        ["reject"] = (context, value, args) => Select(context, value, args, attribute: false, keep: false),
        ["rejectattr"] = (context, value, args) => Select(context, value, args, attribute: true, keep: false),
        ["replace"] = (_, value, args) => Replace(value, args.Expect("replace", "old", "new", "count")),
        ["reverse"] = (_, value, args) => Reverse(NoArguments(value, args, "reverse")),
        ["safe"] = (_, value, args) => Text(NoArguments(value, args, "safe")),
        ["select"] = (context, value, args) => Select(context, value, args, attribute: false, keep: true),
        ["selectattr"] = (context, value, args) => Select(context, value, args, attribute: true, keep: true),
        ["sort"] = (_, value, args) => Sort(value, args.Expect("sort", "reverse", "case_sensitive", "attribute")),
        ["string"] = (_, value, args) => Text(NoArguments(value, args, "string")),
        ["title"] = (_, value, args) => Title(Text(NoArguments(value, args, "title"))),
        ["tojson"] = (_, value, args) => ToJson(value, args.Expect("tojson", "ensure_ascii", "indent", "separators", "sort_keys")),
        ["trim"] = (_, value, args) => Trim(value, args.Expect("trim", "chars")),
        ["unique"] = (_, value, args) => Unique(value, args.Expect("unique", "case_sensitive", "attribute")),
        ["upper"] = (_, value, args) => Text(NoArguments(value, args, "upper")).ToUpperInvariant(),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryGet(string name, out Filter filter) => s_filters.TryGetValue(name, out filter!);

    public static bool Exists(string name) => s_filters.ContainsKey(name);

    /// <summary>Jinja's <c>soft_str</c>: the value's <c>str()</c>, an undefined value being empty.</summary>
    private static string Text(object? value) => PyFormat.Str(value);

    /// <summary>Checks that a filter taking only its value got no arguments, and passes the value on.</summary>
    private static object? NoArguments(object? value, Arguments args, string filter)
    {
        args.Expect(filter);
        return value;
    }

    private static object Abs(object? value) => value switch
    {
        long l => (object)Math.Abs(l),
        double d => (object)Math.Abs(d),
        bool b => b ? 1L : 0L,
        Undefined u => throw u.Error(),
        _ => throw new TemplateError($"bad operand type for abs(): '{PyFormat.TypeName(value)}'"),
    };

    private static object? Default(object? value, Arguments args)
    {
        var boolean = PyOps.IsTruthy(args.Get(1, "boolean", false));
        return value is Undefined || (boolean && !PyOps.IsTruthy(value)) ? args.Get(0, "default_value", "") : value;
    }

    /// <summary>MarkupSafe's <c>escape</c>: Jinja's <c>e</c> escapes even with autoescaping off, as transformers runs it.</summary>
    private static string Escape(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&#34;", StringComparison.Ordinal)
            .Replace("'", "&#39;", StringComparison.Ordinal);

    private static object? ToFloat(object? value, Arguments args)
    {
        var fallback = args.Get(0, "default", 0.0);
        return value switch
        {
            double d => d,
            long l => (double)l,
            bool b => b ? 1.0 : 0.0,
            string s => ParseFloat(s) ?? fallback,
            Undefined u => throw u.Error(),
            _ => fallback,
        };
    }

    private static object? ToInt(object? value, Arguments args)
    {
        var fallback = args.Get(0, "default", 0L);
        var numberBase = args.Get(1, "base", 10L) is { } b ? PyOps.ToLong(b) : 10;
        switch (value)
        {
            case long or bool:
                return PyOps.ToLong(value);
            case double d:
                return double.IsFinite(d) ? (long)Math.Truncate(d) : fallback;
            case string s:
                // Python's int(s, base), and then, for "42.23", int(float(s)).
                if (ParseInt(s, numberBase) is { } parsed)
                {
                    return parsed;
                }

                return ParseFloat(s) is double f && double.IsFinite(f) ? (long)Math.Truncate(f) : fallback;
            case Undefined u:
                throw u.Error();
            default:
                return fallback;
        }
    }

    private static long? ParseInt(string s, long numberBase)
    {
        var text = s.Trim().Replace("_", "", StringComparison.Ordinal);
        var negative = text.StartsWith('-');
        if (negative || text.StartsWith('+'))
        {
            text = text[1..];
        }

        var prefix = numberBase switch { 16 => "0x", 8 => "0o", 2 => "0b", _ => null };
        if (prefix is not null && text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        if (text.Length == 0 || numberBase is < 2 or > 36)
        {
            return null;
        }

        var result = 0L;
        foreach (var c in text)
        {
            var digit = c is >= '0' and <= '9' ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= numberBase)
            {
                return null;
            }

            try
            {
                result = checked((result * numberBase) + digit);
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        return negative ? -result : result;
    }

    private static double? ParseFloat(string s)
    {
        var text = s.Trim();
        var lower = text.ToLowerInvariant().TrimStart('+');
        if (lower is "inf" or "infinity")
        {
            return double.PositiveInfinity;
        }

        if (lower is "-inf" or "-infinity")
        {
            return double.NegativeInfinity;
        }

        if (lower is "nan" or "-nan")
        {
            return double.NaN;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>
    /// Jinja's <c>indent</c>: every line but the first (and the first too with <c>first</c>) gets the indentation;
    /// blank lines only with <c>blank</c>. Jinja appends a newline before <c>splitlines</c>, so a trailing newline is
    /// kept and not indented.
    /// </summary>
    private static string Indent(object? value, Arguments args)
    {
        var s = value switch
        {
            string text => text,
            Undefined u => throw u.Error(),
            _ => throw new TemplateError($"can only concatenate str (not \"{PyFormat.TypeName(value)}\") to str"),
        };
        var width = args.Get(0, "width", 4L);
        var indentation = width is string w ? w : Spaces(width!);
        var first = PyOps.IsTruthy(args.Get(1, "first", false));
        var blank = PyOps.IsTruthy(args.Get(2, "blank", false));

        var lines = StringMethods.SplitLines(s + "\n", keepEnds: false);
        var builder = new StringBuilder(s.Length + (lines.Count * indentation.Length));
        if (blank)
        {
            builder.AppendJoin("\n" + indentation, lines);
        }
        else
        {
            builder.Append(lines[0]);
            for (var i = 1; i < lines.Count; i++)
            {
                builder.Append('\n');
                if (lines[i].Length > 0)
                {
                    builder.Append(indentation);
                }

                builder.Append(lines[i]);
            }
        }

        return first ? indentation + builder : builder.ToString();
    }

    /// <summary>Python's <c>' ' * n</c> for an indentation width: empty when negative, bounded so a template cannot exhaust memory.</summary>
    private static string Spaces(object width)
    {
        var count = PyOps.ToLong(width);
        return count switch
        {
            <= 0 => "",
            > 1000 => throw new TemplateError($"an indentation of {count} spaces is more than this chat template engine allows (1000)"),
            _ => new string(' ', (int)count),
        };
    }

    private static string Replace(object? value, Arguments args) =>
        StringMethods.Replace(PyFormat.Str(value), PyFormat.Str(args.Get(0, "old")), PyFormat.Str(args.Get(1, "new")),
            args.Get(2, "count") is { } count ? PyOps.ToLong(count) : -1);

    /// <summary>Jinja's <c>title</c> (not Python's): words begin after '-', whitespace, '(', '{', '[' or '&lt;'.</summary>
    private static string Title(string s)
    {
        var builder = new StringBuilder(s.Length);
        var chunkStart = true;
        bool? inSeparator = null;
        foreach (var c in s)
        {
            var separator = c is '-' or '(' or '{' or '[' or '<' || char.IsWhiteSpace(c);
            if (separator != inSeparator)
            {
                chunkStart = true;
                inSeparator = separator;
            }

            builder.Append(chunkStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            chunkStart = false;
        }

        return builder.ToString();
    }

    private static string Trim(object? value, Arguments args) =>
        PyOps.Strip(PyFormat.Str(value), args.Get(0, "chars") as string, start: true, end: true);

    /// <summary>transformers' <c>tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)</c>.</summary>
    private static string ToJson(object? value, Arguments args)
    {
        var indent = args.Get(1, "indent") switch
        {
            null => null,
            string s => s,
            var n => Spaces(n),
        };
        var (itemSeparator, keySeparator) = args.Get(2, "separators") switch
        {
            null => (indent is null ? ", " : ",", ": "),
            IReadOnlyList<object?> { Count: 2 } pair when pair[0] is string item && pair[1] is string key => (item, key),
            _ => throw new TemplateError("tojson separators must be a pair of strings"),
        };
        return PyJson.Dumps(value, indent, itemSeparator, keySeparator,
            PyOps.IsTruthy(args.Get(3, "sort_keys", false)), PyOps.IsTruthy(args.Get(0, "ensure_ascii", false)));
    }
}
