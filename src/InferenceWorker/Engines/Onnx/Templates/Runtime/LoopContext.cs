namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// The <c>loop</c> variable of a <c>for</c> block. The items are materialised first (a filtered loop's
/// <c>loop.length</c> counts only the items that pass), which chat templates can afford: they loop over messages.
/// </summary>
internal sealed class LoopContext(IReadOnlyList<object?> items)
{
    public IReadOnlyList<object?> Items => items;

    public int Index0 { get; set; }

    public int Length => items.Count;

    public object? GetAttribute(string name) => name switch
    {
        "index" => (long)(Index0 + 1),
        "index0" => (long)Index0,
        "revindex" => (long)(Length - Index0),
        "revindex0" => (long)(Length - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == Length - 1,
        "length" => (long)Length,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : Undefined.WithMessage("there is no previous item"),
        "nextitem" => Index0 < Length - 1 ? items[Index0 + 1] : Undefined.WithMessage("there is no next item"),
        // Recursive loops are refused at parse time, so every loop is at depth 1.
        "depth" => 1L,
        "depth0" => 0L,
        "cycle" => new BoundMethod(this, name),
        _ => Undefined.Element(this, name),
    };

    /// <summary><c>loop.cycle(a, b, …)</c>: the argument at the iteration's position, round robin.</summary>
    public object? Cycle(Arguments arguments)
    {
        if (arguments.Positional.Count == 0 || arguments.Keywords.Count > 0)
        {
            throw new TemplateError("loop.cycle() takes at least one positional argument and no keyword arguments");
        }

        return arguments.Positional[Index0 % arguments.Positional.Count];
    }
}
