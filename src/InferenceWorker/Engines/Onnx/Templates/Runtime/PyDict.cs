namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// A Python dict: insertion-ordered (so <c>tojson</c> and <c>items()</c> keep the order the client sent), keys compared
/// with Python's equality (<c>1 == 1.0 == True</c>). Built per render and never mutated by templates: the sandbox
/// transformers uses forbids it.
/// </summary>
internal sealed class PyDict() : OrderedDictionary<object, object?>(PyKeyComparer.Instance)
{
    public PyDict(int capacity) : this() => EnsureCapacity(capacity);

    /// <summary>Looks a key up; a <see langword="null"/> (None) key is never present, as no JSON or message field has one.</summary>
    public bool TryGet(object? key, out object? value)
    {
        if (key is null)
        {
            value = null;
            return false;
        }

        return TryGetValue(key, out value);
    }

    /// <summary>Sets a key the way a Python dict literal does: a later equal key replaces the value, not the key.</summary>
    public void Put(object? key, object? value)
    {
        if (key is null)
        {
            throw new TemplateError("None is not supported as a dict key here");
        }

        if (key is List<object?> or PyDict)
        {
            throw new TemplateError($"unhashable type: '{PyFormat.TypeName(key)}'");
        }

        this[key] = value;
    }
}

/// <summary>Python's hash/equality for the keys templates use: str, int, float, bool and tuples of them.</summary>
internal sealed class PyKeyComparer : IEqualityComparer<object>
{
    public static readonly PyKeyComparer Instance = new();

    public new bool Equals(object? x, object? y) => PyOps.AreEqual(x, y);

    public int GetHashCode(object obj) => obj switch
    {
        string s => StringComparer.Ordinal.GetHashCode(s),
        bool b => b ? 1 : 0,
        long l => l.GetHashCode(),
        // Python hashes an integral float like the int it equals, so 1.0 finds the key 1.
        double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => ((long)d).GetHashCode(),
        double d => d.GetHashCode(),
        PyTuple t => HashTuple(t),
        _ => obj.GetHashCode(),
    };

    private int HashTuple(PyTuple tuple)
    {
        var hash = new HashCode();
        foreach (var item in tuple)
        {
            hash.Add(item is null ? 0 : GetHashCode(item));
        }

        return hash.ToHashCode();
    }
}
