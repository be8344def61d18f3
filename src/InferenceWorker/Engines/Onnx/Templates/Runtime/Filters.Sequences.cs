using System.Globalization;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>The filters over sequences: <c>first</c>, <c>join</c>, <c>map</c>, <c>selectattr</c>, <c>unique</c>, …</summary>
internal static partial class Filters
{
    private static object? First(object? value)
    {
        var items = PyOps.Iterate(value);
        return items.Count > 0 ? items[0] : Undefined.WithMessage("No first item, sequence was empty.");
    }

    private static object? Last(object? value)
    {
        var items = PyOps.Iterate(value);
        return items.Count > 0 ? items[^1] : Undefined.WithMessage("No last item, sequence was empty.");
    }

    /// <summary>Jinja 3.1's <c>items</c>: a mapping's (key, value) pairs; nothing for an undefined value.</summary>
    private static List<object?> Items(object? value) => value switch
    {
        Undefined => [],
        PyDict dict => dict.Select(pair => (object?)new PyTuple([pair.Key, pair.Value])).ToList(),
        _ => throw new TemplateError("Can only get item pairs from a mapping."),
    };

    private static string Join(object? value, Arguments args)
    {
        var items = PyOps.Iterate(value);
        if (args.Get(1, "attribute") is { } attribute)
        {
            var getter = AttributeGetter(attribute, null);
            items = items.Select(getter).ToList();
        }

        return PyOps.JoinStr(items, PyFormat.Str(args.Get(0, "d", "")));
    }

    private static object Reverse(object? value)
    {
        if (value is string s)
        {
            var characters = PyOps.Characters(s);
            characters.Reverse();
            return string.Concat(characters.Cast<string>());
        }

        var items = PyOps.Iterate(value).ToList();
        items.Reverse();
        return items;
    }

    /// <summary>
    /// <c>map(attribute='x', default=…)</c> picks an attribute of every item; <c>map('filter', …)</c> applies a filter
    /// to every item. An undefined sequence maps to nothing.
    /// </summary>
    private static List<object?> Map(RenderContext context, object? value, Arguments args)
    {
        // Jinja maps nothing over a falsy value (None, an empty string), without looking at the arguments.
        if (!PyOps.IsTruthy(value))
        {
            return [];
        }

        Func<object?, object?> function;
        if (args.Positional.Count == 0 && args.Has(0, "attribute"))
        {
            // With no positional argument, Get(0, name) reads the keyword.
            args.Expect("map", "attribute", "default");
            function = AttributeGetter(args.Get(0, "attribute"), args.Get(1, "default"));
        }
        else if (args.Positional.Count > 0 && args.Positional[0] is string name && TryGet(name, out var filter))
        {
            var rest = args.Skip(1);
            function = item => filter(context, item, rest);
        }
        else
        {
            throw new TemplateError($"map() needs an attribute= or the name of a filter, got {PyFormat.Repr(args.Positional.FirstOrDefault())}");
        }

        return PyOps.Iterate(value).Select(function).ToList();
    }

    /// <summary>
    /// <c>select</c>/<c>reject</c> (by test, or truthiness without one) and <c>selectattr</c>/<c>rejectattr</c>
    /// (the same on an attribute of each item), as Jinja's <c>_select_or_reject</c>.
    /// </summary>
    private static List<object?> Select(RenderContext context, object? value, Arguments args, bool attribute, bool keep)
    {
        // As Jinja's select_or_reject: a falsy value (None included, as in Llama 3.1-style "tools | selectattr" with no
        // tools) selects nothing.
        if (!PyOps.IsTruthy(value))
        {
            return [];
        }

        var offset = 0;
        Func<object?, object?> transform = item => item;
        if (attribute)
        {
            if (args.Positional.Count == 0)
            {
                throw new TemplateError("Missing parameter for attribute name");
            }

            transform = AttributeGetter(args.Positional[0], null);
            offset = 1;
        }

        Func<object?, bool> predicate = PyOps.IsTruthy;
        if (args.Positional.Count > offset)
        {
            var name = args.Positional[offset] as string ?? throw new TemplateError("the test name must be a string");
            if (!Tests.TryGet(name, out var test))
            {
                throw new TemplateError($"No test named {PyFormat.Repr(name)}.");
            }

            var rest = args.Skip(offset + 1);
            predicate = item => test(context, item, rest);
        }

        return PyOps.Iterate(value).Where(item => predicate(transform(item)) == keep).ToList();
    }

    /// <summary>
    /// Jinja's <c>unique</c>: the first of each distinct item (or item attribute), strings compared without case unless
    /// <c>case_sensitive</c>.
    /// </summary>
    private static List<object?> Unique(object? value, Arguments args)
    {
        var caseSensitive = PyOps.IsTruthy(args.Get(0, "case_sensitive", false));
        var getter = AttributeGetter(args.Get(1, "attribute"), null);
        var seen = new HashSet<object>(PyKeyComparer.Instance);
        var result = new List<object?>();
        var seenNone = false;
        foreach (var item in PyOps.Iterate(value))
        {
            var key = getter(item);
            if (!caseSensitive && key is string s)
            {
                key = s.ToLowerInvariant();
            }

            if (key is List<object?> or PyDict)
            {
                throw new TemplateError($"unhashable type: '{PyFormat.TypeName(key)}'");
            }

            var isNew = key is null ? !seenNone : seen.Add(key);
            seenNone |= key is null;
            if (isNew)
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>Jinja's <c>dictsort</c>: a mapping's (key, value) pairs sorted by key or value, stable, strings without case unless asked.</summary>
    private static List<object?> DictSort(object? value, Arguments args)
    {
        if (value is not PyDict dict)
        {
            throw new TemplateError("dictsort needs a mapping");
        }

        var caseSensitive = PyOps.IsTruthy(args.Get(0, "case_sensitive", false));
        var by = args.Get(1, "by", "key") as string;
        var position = by switch
        {
            "key" => 0,
            "value" => 1,
            _ => throw new TemplateError("You can only sort by either \"key\" or \"value\""),
        };
        var pairs = dict.Select(pair => (object?)new PyTuple([pair.Key, pair.Value]));
        return SortBy(pairs, item => CaseFold(((PyTuple)item!)[position], caseSensitive), PyOps.IsTruthy(args.Get(2, "reverse", false)));
    }

    /// <summary>Jinja's <c>sort</c>: Python's stable <c>sorted</c>, on an attribute if given, strings without case unless asked.</summary>
    private static List<object?> Sort(object? value, Arguments args)
    {
        var reverse = PyOps.IsTruthy(args.Get(0, "reverse", false));
        var caseSensitive = PyOps.IsTruthy(args.Get(1, "case_sensitive", false));
        var getter = AttributeGetter(args.Get(2, "attribute"), null);
        return SortBy(PyOps.Iterate(value), item => CaseFold(getter(item), caseSensitive), reverse);
    }

    private static List<object?> SortBy(IEnumerable<object?> items, Func<object?, object?> key, bool reverse)
    {
        var comparer = Comparer<object?>.Create((a, b) => PyOps.Compare(a, b, "<"));
        return reverse ? items.OrderByDescending(key, comparer).ToList() : items.OrderBy(key, comparer).ToList();
    }

    private static object? CaseFold(object? value, bool caseSensitive) =>
        !caseSensitive && value is string s ? s.ToLowerInvariant() : value;

    /// <summary>
    /// Jinja's <c>make_attrgetter</c>: "a.b.0" looks up a, then b, then index 0 of each item (key first, then
    /// attribute); with a default, an undefined step becomes the default.
    /// </summary>
    private static Func<object?, object?> AttributeGetter(object? attribute, object? fallback)
    {
        if (attribute is null)
        {
            return item => item;
        }

        var parts = attribute is string path
            ? path.Split('.').Select(part => part.Length > 0 && part.All(char.IsAsciiDigit) ? (object)long.Parse(part, CultureInfo.InvariantCulture) : part).ToArray()
            : [attribute];
        return item =>
        {
            foreach (var part in parts)
            {
                item = Access.GetItem(item, part);
                if (fallback is not null && item is Undefined)
                {
                    item = fallback;
                }
            }

            return item;
        };
    }
}
