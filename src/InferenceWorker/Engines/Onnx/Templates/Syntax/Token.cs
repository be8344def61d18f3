namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

internal enum TokenKind
{
    /// <summary>Template text outside tags, whitespace control already applied.</summary>
    Text,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>A token of the template; <see cref="Value"/> holds the decoded string or number of a literal.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Offset, object? Value = null)
{
    public bool Is(TokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsName(string name) => Is(TokenKind.Name, name);

    public bool IsOperator(string op) => Is(TokenKind.Operator, op);

    /// <summary>How an error message names the token, as Jinja's <c>describe_token</c> does.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of template",
        TokenKind.BlockEnd => "end of statement block",
        TokenKind.VariableEnd => "end of print statement",
        TokenKind.BlockBegin => "begin of statement block",
        TokenKind.VariableBegin => "begin of print statement",
        TokenKind.Text => "template data",
        _ => $"'{Text}'",
    };
}
