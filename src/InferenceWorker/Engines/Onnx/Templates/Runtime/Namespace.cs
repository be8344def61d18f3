namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// Jinja's <c>namespace()</c>: the one mutable object a template may have. A plain <c>set</c> inside a <c>for</c> loop
/// does not outlive the iteration, so templates carry state across iterations in <c>ns.attr</c> instead.
/// </summary>
internal sealed class Namespace
{
    private readonly Dictionary<string, object?> _attributes = new(StringComparer.Ordinal);

    public object? Get(string name) =>
        _attributes.TryGetValue(name, out var value) ? value : Undefined.Element(this, name);

    public void Set(string name, object? value) => _attributes[name] = value;

    public PyDict ToDict()
    {
        var dict = new PyDict(_attributes.Count);
        foreach (var (key, value) in _attributes)
        {
            dict.Put(key, value);
        }

        return dict;
    }
}
