namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// One level of Jinja's variable scoping. The render's root scope holds the inputs (<c>messages</c>, special tokens, …)
/// and the template's top-level <c>set</c>s; every <c>for</c> iteration, macro call and <c>with</c> block gets a child
/// scope, so a <c>set</c> there is gone when it ends, while an <c>if</c> block writes to the scope it is in. A name
/// missing from the chain falls back to the environment's globals.
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private Dictionary<string, object?>? _variables;

    public bool TryGet(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables is { } variables && variables.TryGetValue(name, out value))
            {
                return true;
            }
        }

        return Globals.TryGet(name, out value);
    }

    public object? Get(string name) => TryGet(name, out var value) ? value : Undefined.Variable(name);

    public void Set(string name, object? value) => (_variables ??= new(StringComparer.Ordinal))[name] = value;

    private Scope? Parent => parent;
}
