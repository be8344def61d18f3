using System.Collections.Frozen;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// The Python methods chat templates call on values: <c>content.strip()</c>, <c>content.split('&lt;/think&gt;')</c>,
/// <c>message.get('x')</c>, <c>tool.items()</c>, … A call to any other method name is refused when the template is
/// parsed (<see cref="IsSupported"/>), so an unknown method never surfaces on a request.
/// </summary>
internal static class Methods
{
    private static readonly FrozenSet<string> s_stringMethods = FrozenSet.ToFrozenSet(
    [
        "capitalize", "count", "endswith", "find", "format", "isalnum", "isalpha", "isdigit", "islower", "isspace",
        "isupper", "join", "lower", "lstrip", "removeprefix", "removesuffix", "replace", "rfind", "rsplit", "rstrip",
        "split", "splitlines", "startswith", "strip", "title", "upper",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> s_dictMethods = FrozenSet.ToFrozenSet(["get", "items", "keys", "values"], StringComparer.Ordinal);

    private static readonly FrozenSet<string> s_sequenceMethods = FrozenSet.ToFrozenSet(["count", "index"], StringComparer.Ordinal);

    /// <summary>Whether a call to a method of this name can work on some value (the parse-time check).</summary>
    public static bool IsSupported(string name) =>
        s_stringMethods.Contains(name) || s_dictMethods.Contains(name) || s_sequenceMethods.Contains(name) || name == "cycle";

    /// <summary>Whether <paramref name="owner"/> has a method of this name, i.e. whether <c>owner.name</c> is that method.</summary>
    public static bool Has(object? owner, string name) => owner switch
    {
        string => s_stringMethods.Contains(name),
        PyDict => s_dictMethods.Contains(name),
        List<object?> or PyTuple => s_sequenceMethods.Contains(name),
        _ => false,
    };

    public static object? Invoke(object? self, string name, Arguments arguments) => self switch
    {
        string s => StringMethods.Invoke(s, name, arguments),
        PyDict dict => InvokeDict(dict, name, arguments),
        IReadOnlyList<object?> list => InvokeSequence(list, name, arguments),
        LoopContext loop when name == "cycle" => loop.Cycle(arguments),
        _ => throw new TemplateError($"'{PyFormat.TypeName(self)}' object has no attribute '{name}'"),
    };

    private static object? InvokeDict(PyDict dict, string name, Arguments arguments)
    {
        switch (name)
        {
            case "get":
                arguments.Expect("get", "key", "default");
                if (arguments.Keywords.Count > 0)
                {
                    throw new TemplateError("get() takes no keyword arguments");
                }

                return dict.TryGet(arguments.Get(0, "key"), out var value) ? value : arguments.Get(1, "default");
            case "items":
                arguments.Expect("items");
                return dict.Select(pair => (object?)new PyTuple([pair.Key, pair.Value])).ToList();
            case "keys":
                arguments.Expect("keys");
                return dict.Keys.Cast<object?>().ToList();
            default:
                arguments.Expect("values");
                return dict.Values.ToList();
        }
    }

    private static object? InvokeSequence(IReadOnlyList<object?> list, string name, Arguments arguments)
    {
        arguments.Expect(name, "value");
        var needle = arguments.Get(0, "value");
        var count = 0L;
        for (var i = 0; i < list.Count; i++)
        {
            if (PyOps.AreEqual(list[i], needle))
            {
                if (name == "index")
                {
                    return (long)i;
                }

                count++;
            }
        }

        return name == "index" ? throw new TemplateError($"{PyFormat.Repr(needle)} is not in list") : count;
    }
}
