using System.Collections;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>A Python tuple: what <c>items()</c> yields and what <c>(a, b)</c> builds. Immutable; prints as <c>(1, 2)</c>.</summary>
internal sealed class PyTuple(object?[] items) : IReadOnlyList<object?>
{
    public object? this[int index] => items[index];

    public int Count => items.Length;

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();
}
