using System.Collections.Frozen;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// <c>a.b</c> and <c>a[b]</c> as Jinja's sandbox resolves them. <c>a.b</c> tries Python's attribute first (so
/// <c>message.items</c> is the dict method) and then the key; <c>a[b]</c> tries the key first and then the attribute.
/// Whatever is missing is <see cref="Undefined"/>, except on an undefined owner, which is an error, as in Jinja.
/// </summary>
internal static class Access
{
    /// <summary>
    /// Methods that would change a list or dict: transformers' <c>ImmutableSandboxedEnvironment</c> treats them as
    /// unsafe attributes, which evaluate to an undefined value rather than to the method.
    /// </summary>
    private static readonly FrozenSet<string> s_mutators = FrozenSet.ToFrozenSet(
        ["append", "clear", "extend", "insert", "pop", "popitem", "remove", "reverse", "setdefault", "sort", "update"],
        StringComparer.Ordinal);

    public static object? GetAttribute(object? owner, string name)
    {
        switch (owner)
        {
            case Undefined undefined:
                throw undefined.Error();
            case PyDict dict:
                if (Methods.Has(owner, name))
                {
                    return new BoundMethod(owner, name);
                }

                if (s_mutators.Contains(name))
                {
                    return Unsafe(owner, name);
                }

                return dict.TryGet(name, out var value) ? value : Undefined.Element(owner, name);
            case Namespace ns:
                return ns.Get(name);
            case LoopContext loop:
                return loop.GetAttribute(name);
            default:
                return MethodOrUndefined(owner, name);
        }
    }

    public static object? GetItem(object? owner, object? key)
    {
        switch (owner)
        {
            case Undefined undefined:
                throw undefined.Error();
            case PyDict dict when dict.TryGet(key, out var value):
                return value;
            case IReadOnlyList<object?> list when key is long or bool:
                var index = PyOps.ToLong(key);
                if (index < 0)
                {
                    index += list.Count;
                }

                return index >= 0 && index < list.Count ? list[(int)index] : Undefined.Element(owner, key);
            case string s when key is long or bool:
                var characters = PyOps.Characters(s);
                var at = PyOps.ToLong(key);
                if (at < 0)
                {
                    at += characters.Count;
                }

                return at >= 0 && at < characters.Count ? characters[(int)at] : Undefined.Element(owner, key);
            case Namespace or LoopContext when key is string name:
                return GetAttribute(owner, name);
        }

        if (key is string attribute)
        {
            return MethodOrUndefined(owner, attribute);
        }

        return Undefined.Element(owner, key);
    }

    private static object? MethodOrUndefined(object? owner, string name)
    {
        if (Methods.Has(owner, name))
        {
            return new BoundMethod(owner, name);
        }

        return owner is List<object?> or PyDict && s_mutators.Contains(name) ? Unsafe(owner, name) : Undefined.Element(owner, name);
    }

    private static Undefined Unsafe(object owner, string name) =>
        Undefined.WithMessage($"access to attribute '{name}' of '{PyFormat.TypeName(owner)}' object is unsafe.");
}
