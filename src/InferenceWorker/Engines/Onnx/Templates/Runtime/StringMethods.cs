using System.Globalization;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>Python's <c>str</c> methods that chat templates call, with CPython's semantics (whitespace, splitting, casing).</summary>
internal static class StringMethods
{
    public static object? Invoke(string s, string name, Arguments arguments)
    {
        switch (name)
        {
            case "strip" or "lstrip" or "rstrip":
                var chars = OptionalString(arguments.Expect(name, "chars").Get(0, "chars"), name);
                return PyOps.Strip(s, chars, start: name != "rstrip", end: name != "lstrip");
            case "split" or "rsplit":
                arguments.Expect(name, "sep", "maxsplit");
                var separator = OptionalString(arguments.Get(0, "sep"), name);
                var maxSplit = arguments.Get(1, "maxsplit", -1L) is { } limit ? PyOps.ToLong(limit) : -1;
                return name == "split" ? Split(s, separator, maxSplit) : RightSplit(s, separator, maxSplit);
            case "splitlines":
                return SplitLines(s, PyOps.IsTruthy(arguments.Expect(name, "keepends").Get(0, "keepends", false)))
                    .Select(line => (object?)line).ToList();
            case "startswith" or "endswith":
                return Affix(s, name, arguments);
            case "upper":
                arguments.Expect(name);
                return s.ToUpperInvariant();
            case "lower":
                arguments.Expect(name);
                return s.ToLowerInvariant();
            case "title":
                arguments.Expect(name);
                return Title(s);
            case "capitalize":
                arguments.Expect(name);
                return Capitalize(s);
            case "replace":
                arguments.Expect(name, "old", "new", "count");
                return Replace(s, RequiredString(arguments, 0, "old", name), RequiredString(arguments, 1, "new", name),
                    arguments.Get(2, "count", -1L) is { } count ? PyOps.ToLong(count) : -1);
            case "find" or "rfind" or "count":
                var sub = RequiredString(arguments.Expect(name, "sub"), 0, "sub", name);
                return name switch
                {
                    "find" => CodePointIndex(s, s.IndexOf(sub, StringComparison.Ordinal)),
                    "rfind" => CodePointIndex(s, s.LastIndexOf(sub, StringComparison.Ordinal)),
                    _ => Count(s, sub),
                };
            case "removeprefix":
                var prefix = RequiredString(arguments.Expect(name, "prefix"), 0, "prefix", name);
                return s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s;
            case "removesuffix":
                var suffix = RequiredString(arguments.Expect(name, "suffix"), 0, "suffix", name);
                return suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s;
            case "join":
                return Join(s, arguments.Expect(name, "iterable").Get(0, "iterable"));
            case "format":
                return PyStringFormat.Format(s, arguments);
            default:
                arguments.Expect(name);
                return Classify(s, name);
        }
    }

    /// <summary>
    /// <c>str.split</c>: with no separator, runs of whitespace split and leading/trailing whitespace yields no empty
    /// items; with one, every occurrence splits. At most <paramref name="maxSplit"/> splits when it is not negative.
    /// </summary>
    public static List<object?> Split(string s, string? separator, long maxSplit)
    {
        var result = new List<object?>();
        if (separator is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && PyOps.IsSpace(s[i]))
                {
                    i++;
                }

                if (i == s.Length)
                {
                    return result;
                }

                if (maxSplit >= 0 && result.Count == maxSplit)
                {
                    result.Add(s[i..]);
                    return result;
                }

                var start = i;
                while (i < s.Length && !PyOps.IsSpace(s[i]))
                {
                    i++;
                }

                result.Add(s[start..i]);
            }
        }

        RequireSeparator(separator);
        var position = 0;
        while (maxSplit < 0 || result.Count < maxSplit)
        {
            var next = s.IndexOf(separator, position, StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }

            result.Add(s[position..next]);
            position = next + separator.Length;
        }

        result.Add(s[position..]);
        return result;
    }

    private static List<object?> RightSplit(string s, string? separator, long maxSplit)
    {
        if (maxSplit < 0)
        {
            return Split(s, separator, maxSplit);
        }

        var result = new List<object?>();
        if (separator is null)
        {
            var i = s.Length - 1;
            while (true)
            {
                while (i >= 0 && PyOps.IsSpace(s[i]))
                {
                    i--;
                }

                if (i < 0)
                {
                    break;
                }

                if (result.Count == maxSplit)
                {
                    result.Add(s[..(i + 1)]);
                    break;
                }

                var end = i + 1;
                while (i >= 0 && !PyOps.IsSpace(s[i]))
                {
                    i--;
                }

                result.Add(s[(i + 1)..end]);
            }
        }
        else
        {
            RequireSeparator(separator);
            var end = s.Length;
            while (result.Count < maxSplit)
            {
                var at = end - separator.Length < 0 ? -1 : s.LastIndexOf(separator, end - 1, StringComparison.Ordinal);
                if (at < 0 || at + separator.Length > end)
                {
                    break;
                }

                result.Add(s[(at + separator.Length)..end]);
                end = at;
            }

            result.Add(s[..end]);
        }

        result.Reverse();
        return result;
    }

    /// <summary><c>str.splitlines</c>: Python's line boundaries, \r\n counting as one.</summary>
    public static List<string> SplitLines(string s, bool keepEnds)
    {
        var lines = new List<string>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (!IsLineBoundary(c))
            {
                i++;
                continue;
            }

            var end = i;
            i += c == '\r' && i + 1 < s.Length && s[i + 1] == '\n' ? 2 : 1;
            lines.Add(s[start..(keepEnds ? i : end)]);
            start = i;
        }

        if (start < s.Length)
        {
            lines.Add(s[start..]);
        }

        return lines;
    }

    private static bool IsLineBoundary(char c) =>
        c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';

    /// <summary><c>str.title</c>: a letter after a cased letter is lowered, any other letter is uppercased ("they'Re").</summary>
    public static string Title(string s)
    {
        var builder = new StringBuilder(s.Length);
        var previousCased = false;
        foreach (var c in s)
        {
            builder.Append(previousCased ? char.ToLowerInvariant(c) : ToTitle(c));
            previousCased = char.IsUpper(c) || char.IsLower(c) || char.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter;
        }

        return builder.ToString();
    }

    /// <summary><c>str.capitalize</c>: the first character in title case, the rest lowered.</summary>
    public static string Capitalize(string s) =>
        s.Length == 0 ? s : string.Concat(ToTitle(s[0]).ToString(), s[1..].ToLowerInvariant());

    /// <summary>
    /// Title case differs from upper case only for the Latin digraphs (DŽ, LJ, NJ, DZ: their title forms are Dž, Lj, Nj,
    /// Dz), which .NET's invariant casing does not map.
    /// </summary>
    private static char ToTitle(char c) => c switch
    {
        >= '\u01C4' and <= '\u01C6' => '\u01C5',
        >= '\u01C7' and <= '\u01C9' => '\u01C8',
        >= '\u01CA' and <= '\u01CC' => '\u01CB',
        >= '\u01F1' and <= '\u01F3' => '\u01F2',
        _ => char.ToUpperInvariant(c),
    };

    /// <summary><c>str.replace</c>, including Python's insertion between every character for an empty <paramref name="old"/>.</summary>
    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0 && old.Length > 0)
        {
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var builder = new StringBuilder();
        var done = 0L;
        if (old.Length == 0)
        {
            var characters = PyOps.Characters(s);
            foreach (var character in characters)
            {
                if (count < 0 || done < count)
                {
                    builder.Append(replacement);
                    done++;
                }

                builder.Append((string)character!);
            }

            return (count < 0 || done < count ? builder.Append(replacement) : builder).ToString();
        }

        var position = 0;
        while (done < count)
        {
            var next = s.IndexOf(old, position, StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }

            builder.Append(s, position, next - position).Append(replacement);
            position = next + old.Length;
            done++;
        }

        return builder.Append(s, position, s.Length - position).ToString();
    }

    private static object Affix(string s, string name, Arguments arguments)
    {
        arguments.Expect(name, name == "startswith" ? "prefix" : "suffix");
        var candidates = arguments.Get(0, name == "startswith" ? "prefix" : "suffix") switch
        {
            string one => [one],
            PyTuple tuple => tuple.Select(t => t as string ?? throw new TemplateError($"tuple for {name} must only contain str")).ToArray(),
            var other => throw new TemplateError($"{name} first arg must be str or a tuple of str, not {PyFormat.TypeName(other)}"),
        };
        return candidates.Any(c => name == "startswith" ? s.StartsWith(c, StringComparison.Ordinal) : s.EndsWith(c, StringComparison.Ordinal));
    }

    private static string Join(string separator, object? iterable)
    {
        var items = PyOps.Iterate(iterable);
        var builder = new StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not string item)
            {
                throw new TemplateError($"sequence item {i}: expected str instance, {PyFormat.TypeName(items[i])} found");
            }

            if (i > 0)
            {
                builder.Append(separator);
            }

            builder.Append(item);
        }

        return builder.ToString();
    }

    private static bool Classify(string s, string name)
    {
        if (s.Length == 0)
        {
            return false;
        }

        return name switch
        {
            "isdigit" => s.All(char.IsDigit),
            "isalpha" => s.All(char.IsLetter),
            "isalnum" => s.All(char.IsLetterOrDigit),
            "isspace" => s.All(PyOps.IsSpace),
            "isupper" => s.Any(char.IsUpper) && !s.Any(char.IsLower),
            "islower" => s.Any(char.IsLower) && !s.Any(char.IsUpper),
            _ => throw new TemplateError($"'str' object has no attribute '{name}'"),
        };
    }

    private static long Count(string s, string sub)
    {
        if (sub.Length == 0)
        {
            return PyOps.CodePointCount(s) + 1;
        }

        var count = 0L;
        for (var at = s.IndexOf(sub, StringComparison.Ordinal); at >= 0; at = s.IndexOf(sub, at + sub.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Python indexes strings by code point; .NET by UTF-16 unit. They differ only after a surrogate pair.</summary>
    private static long CodePointIndex(string s, int utf16Index) =>
        utf16Index < 0 ? -1 : PyOps.CodePointCount(s[..utf16Index]);

    private static string? OptionalString(object? value, string method) => value switch
    {
        null => null,
        string s => s,
        _ => throw new TemplateError($"{method} arg must be None or str"),
    };

    private static string RequiredString(Arguments arguments, int position, string name, string method) =>
        arguments.Get(position, name) as string
        ?? throw new TemplateError($"{method}() argument '{name}' must be str");

    private static void RequireSeparator(string separator)
    {
        if (separator.Length == 0)
        {
            throw new TemplateError("empty separator");
        }
    }
}
