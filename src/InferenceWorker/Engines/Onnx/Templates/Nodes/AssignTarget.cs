using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary>What a <c>set</c> or a <c>for</c> assigns to: a name, names to unpack into, or a namespace attribute.</summary>
internal abstract class AssignTarget(SourcePosition position)
{
    public void Assign(Scope scope, object? value)
    {
        try
        {
            AssignCore(scope, value);
        }
        catch (TemplateError error)
        {
            throw ChatTemplateException.At(position, error.Message);
        }
    }

    protected abstract void AssignCore(Scope scope, object? value);
}

/// <summary><c>set name = …</c>, <c>for name in …</c>: binds in the scope given (the loop iteration's, the macro call's, …).</summary>
internal sealed class NameTarget(SourcePosition position, string name) : AssignTarget(position)
{
    protected override void AssignCore(Scope scope, object? value) => scope.Set(name, value);
}

/// <summary><c>for key, value in …</c>: unpacks an item into exactly as many names, as Python does.</summary>
internal sealed class TupleTarget(SourcePosition position, IReadOnlyList<AssignTarget> items) : AssignTarget(position)
{
    protected override void AssignCore(Scope scope, object? value)
    {
        var values = PyOps.Iterate(value is Undefined undefined ? throw undefined.Error() : value);
        if (values.Count != items.Count)
        {
            throw new TemplateError(values.Count > items.Count
                ? $"too many values to unpack (expected {items.Count})"
                : $"not enough values to unpack (expected {items.Count}, got {values.Count})");
        }

        for (var i = 0; i < items.Count; i++)
        {
            items[i].Assign(scope, values[i]);
        }
    }
}

/// <summary><c>set ns.attribute = …</c>: the one assignment that outlives a loop iteration, on a <c>namespace()</c>.</summary>
internal sealed class NamespaceTarget(SourcePosition position, string name, string attribute) : AssignTarget(position)
{
    protected override void AssignCore(Scope scope, object? value)
    {
        if (scope.Get(name) is not Namespace ns)
        {
            throw new TemplateError("cannot assign attribute on non-namespace object");
        }

        ns.Set(attribute, value);
    }
}
