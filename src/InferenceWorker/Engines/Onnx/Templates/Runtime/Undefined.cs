namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// Jinja's default <c>Undefined</c>: what a missing variable, key, attribute or index evaluates to. It is falsy, prints
/// as nothing, iterates as empty and has length 0, but using it further (an attribute of it, arithmetic, a call) fails
/// with the message Jinja would give, which says what was missing.
/// </summary>
/// <remarks>
/// Templates probe optional fields on every message (<c>message.tool_calls is defined</c>), so the message is composed
/// only when an error needs it.
/// </remarks>
internal sealed class Undefined
{
    private readonly object? _owner;
    private readonly object? _key;
    private readonly string? _message;
    private readonly Kind _kind;

    private Undefined(Kind kind, object? owner, object? key, string? message)
    {
        _kind = kind;
        _owner = owner;
        _key = key;
        _message = message;
    }

    private enum Kind
    {
        Variable,
        Element,
        Message,
    }

    /// <summary>Jinja's <c>UndefinedError</c> text, e.g. <c>'dict object' has no attribute 'x'</c>.</summary>
    public string Message => _kind switch
    {
        Kind.Variable => $"{PyFormat.Repr(_key)} is undefined",
        Kind.Element when _key is string name => $"{PyFormat.TypeReprForUndefined(_owner)} has no attribute {PyFormat.Repr(name)}",
        Kind.Element => $"{PyFormat.TypeReprForUndefined(_owner)} has no element {PyFormat.Repr(_key)}",
        _ => _message!,
    };

    public static Undefined Variable(string name) => new(Kind.Variable, null, name, null);

    /// <summary>A missing attribute or key (a string <paramref name="key"/>) or index of <paramref name="owner"/>.</summary>
    public static Undefined Element(object? owner, object? key) => new(Kind.Element, owner, key, null);

    public static Undefined WithMessage(string message) => new(Kind.Message, null, null, message);

    public TemplateError Error() => new(Message);
}
