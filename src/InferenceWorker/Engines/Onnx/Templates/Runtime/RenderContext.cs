namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>The state of one render: the clock <c>strftime_now</c> reads and the macro call depth. Never shared between renders.</summary>
internal sealed class RenderContext(TimeProvider timeProvider)
{
    /// <summary>
    /// How deep macros may call each other. Python stops a runaway recursion with RecursionError; here a template that
    /// recurses over a deeply nested tool schema must fail the request, not overflow the worker's stack.
    /// </summary>
    public const int MaxMacroDepth = 100;

    private int _macroDepth;

    public TimeProvider TimeProvider => timeProvider;

    public void EnterMacro(string name)
    {
        if (++_macroDepth > MaxMacroDepth)
        {
            throw new TemplateError($"maximum recursion depth exceeded calling macro '{name}' ({MaxMacroDepth} nested calls)");
        }
    }

    public void ExitMacro() => _macroDepth--;
}
