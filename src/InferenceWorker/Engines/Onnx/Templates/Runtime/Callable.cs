namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>Anything a template can call: a global function, a macro, or a method bound to a value.</summary>
internal abstract class Callable
{
    public abstract object? Call(RenderContext context, Arguments arguments);

    /// <summary>How Python would print it; only a template printing a function sees this.</summary>
    public abstract string Describe();
}

/// <summary>A method looked up on a value (<c>'a b'.split</c>, <c>message.get</c>), called later with its arguments.</summary>
internal sealed class BoundMethod(object? self, string name) : Callable
{
    public override object? Call(RenderContext context, Arguments arguments) => Methods.Invoke(self, name, arguments);

    public override string Describe() => $"<built-in method {name} of {PyFormat.TypeName(self)} object>";
}

/// <summary>A function the environment provides: <c>range</c>, <c>namespace</c>, <c>raise_exception</c>, …</summary>
internal sealed class GlobalFunction(string name, Func<RenderContext, Arguments, object?> body) : Callable
{
    public override object? Call(RenderContext context, Arguments arguments) => body(context, arguments);

    public override string Describe() => $"<function {name}>";
}
