using System.Collections.Frozen;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

/// <summary>
/// Jinja's parser (<c>jinja2/parser.py</c>, 3.1) for the statements and expressions chat templates use, building the
/// tree the renderer walks. Whatever this engine does not implement (an unknown tag, filter, test, method or function,
/// <c>recursive</c> loops, <c>*args</c>) is refused here with its line and column, so an unsupported template stops
/// the worker at start instead of rendering a wrong prompt later.
/// </summary>
internal sealed partial class TemplateParser
{
    /// <summary>How deeply blocks and expressions may nest: far beyond real templates, well within the stack.</summary>
    private const int MaxNesting = 200;

    /// <summary>Tags Jinja has and chat templates do not need; named in the error so the refusal is clear.</summary>
    private static readonly FrozenSet<string> s_unsupportedTags = FrozenSet.ToFrozenSet(
        ["extends", "include", "import", "from", "block", "autoescape", "do", "trans", "pluralize", "print"], StringComparer.Ordinal);

    private readonly SourceText _source;
    private readonly List<Token> _tokens;
    private readonly HashSet<string> _macroNames = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, SourcePosition>> _calledNames = [];
    private int _index;
    private int _nesting;
    private int _loopDepth;

    private TemplateParser(SourceText source)
    {
        _source = source;
        _tokens = TemplateLexer.Tokenize(source);
    }

    public static Block Parse(string source)
    {
        var parser = new TemplateParser(new SourceText(source));
        var (body, _) = parser.ParseUntil();
        parser.CheckCalledNames();
        return body;
    }

    public static OnnxModelException Error(SourceText source, int offset, string message) => Error(source.PositionOf(offset), message);

    private Token Current => _tokens[_index];

    private Token Peek(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private SourcePosition PositionOf(Token token) => _source.PositionOf(token.Offset);

    private Token Advance() => _tokens[_index++];

    private OnnxModelException Error(Token token, string message) => Error(_source, token.Offset, message);

    private static OnnxModelException Error(SourcePosition position, string message) => new($"Chat template {position}: {message}");

    /// <summary>
    /// Parses statements up to one of <paramref name="endTags"/> (consuming the <c>{%</c> and the tag's name, leaving
    /// the rest of that tag to the caller), or to the end of the template when there are none.
    /// </summary>
    private (Block Body, string EndTag) ParseUntil(params string[] endTags)
    {
        var statements = new List<Statement>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Text:
                    Advance();
                    statements.Add(new TextStatement(PositionOf(token), token.Text));
                    break;
                case TokenKind.VariableBegin:
                    Advance();
                    var expression = ParseTuple();
                    Expect(TokenKind.VariableEnd);
                    statements.Add(new OutputStatement(PositionOf(token), expression));
                    break;
                case TokenKind.BlockBegin:
                    var tag = Peek(1);
                    if (tag.Kind == TokenKind.Name && endTags.Contains(tag.Text))
                    {
                        _index += 2;
                        return (new Block(statements), tag.Text);
                    }

                    Advance();
                    statements.Add(ParseStatement(token));
                    break;
                case TokenKind.End:
                    if (endTags.Length > 0)
                    {
                        throw Error(token, $"unexpected end of template; looking for the tag {string.Join(" or ", endTags.Select(t => $"'{t}'"))}");
                    }

                    return (new Block(statements), "");
                default:
                    throw Error(token, $"unexpected {token.Describe()}");
            }
        }
    }

    private Statement ParseStatement(Token begin)
    {
        var tag = Expect(TokenKind.Name);
        EnterNesting(tag);
        try
        {
            switch (tag.Text)
            {
                case "if":
                    return ParseIf(begin);
                case "for":
                    return ParseFor(begin);
                case "set":
                    return ParseSet(begin);
                case "with":
                    return ParseWith(begin);
                case "macro":
                    return ParseMacro(begin);
                case "call":
                    return ParseCallBlock(begin);
                case "filter":
                    var filters = ParseFilterChain(required: true);
                    ExpectBlockEnd();
                    return new FilterBlockStatement(PositionOf(begin), filters, ParseIsolatedBody("endfilter"));
                case "break" or "continue":
                    if (_loopDepth == 0)
                    {
                        throw Error(tag, $"'{tag.Text}' outside of a loop");
                    }

                    ExpectBlockEnd();
                    return new LoopControlStatement(PositionOf(begin), tag.Text == "break" ? Flow.Break : Flow.Continue);
                case "generation":
                    // transformers' AssistantTracker tag: it only records where the assistant's text is; the text renders as is.
                    ExpectBlockEnd();
                    return new ScopedBlockStatement(PositionOf(begin), ParseIsolatedBody("endgeneration"));
                case var name when s_unsupportedTags.Contains(name):
                    throw Error(tag, $"the '{name}' tag is not supported by this chat template engine");
                default:
                    throw Error(tag, $"unknown tag '{tag.Text}'");
            }
        }
        finally
        {
            _nesting--;
        }
    }

    private IfStatement ParseIf(Token begin)
    {
        var branches = new List<KeyValuePair<Expression, Block>>();
        var condition = ParseTuple(withConditional: false);
        while (true)
        {
            ExpectBlockEnd();
            var (body, end) = ParseUntil("elif", "else", "endif");
            branches.Add(KeyValuePair.Create(condition, body));
            switch (end)
            {
                case "elif":
                    condition = ParseTuple(withConditional: false);
                    continue;
                case "else":
                    ExpectBlockEnd();
                    var (otherwise, _) = ParseUntil("endif");
                    ExpectBlockEnd();
                    return new IfStatement(PositionOf(begin), branches, otherwise);
                default:
                    ExpectBlockEnd();
                    return new IfStatement(PositionOf(begin), branches, Block.Empty);
            }
        }
    }

    private ForStatement ParseFor(Token begin)
    {
        var target = ParseAssignTarget(withNamespace: false, "in");
        ExpectName("in");
        var iterable = ParseTuple(withConditional: false, extraEnd: "recursive");
        Expression? filter = null;
        if (SkipName("if"))
        {
            filter = ParseExpression();
        }

        if (Current.IsName("recursive"))
        {
            throw Error(Current, "recursive loops are not supported by this chat template engine");
        }

        ExpectBlockEnd();
        _loopDepth++;
        var (body, end) = ParseUntil("endfor", "else");
        _loopDepth--;
        var otherwise = Block.Empty;
        if (end == "else")
        {
            ExpectBlockEnd();
            (otherwise, _) = ParseUntil("endfor");
        }

        ExpectBlockEnd();
        return new ForStatement(PositionOf(begin), target, iterable, filter, body, otherwise);
    }

    private Statement ParseSet(Token begin)
    {
        var target = ParseAssignTarget(withNamespace: true);
        if (SkipOperator("="))
        {
            var value = ParseTuple();
            ExpectBlockEnd();
            return new SetStatement(PositionOf(begin), target, value);
        }

        var filters = ParseFilterChain(required: false);
        ExpectBlockEnd();
        return new SetBlockStatement(PositionOf(begin), target, ParseIsolatedBody("endset"), filters);
    }

    private WithStatement ParseWith(Token begin)
    {
        var assignments = new List<KeyValuePair<AssignTarget, Expression>>();
        while (Current.Kind != TokenKind.BlockEnd)
        {
            if (assignments.Count > 0)
            {
                ExpectOperator(",");
            }

            var target = ParseAssignTarget(withNamespace: false);
            ExpectOperator("=");
            assignments.Add(KeyValuePair.Create(target, ParseExpression()));
        }

        ExpectBlockEnd();
        var (body, _) = ParseUntil("endwith");
        ExpectBlockEnd();
        return new WithStatement(PositionOf(begin), assignments, body);
    }

    private MacroStatement ParseMacro(Token begin)
    {
        var name = Expect(TokenKind.Name).Text;
        var parameters = ParseSignature();
        ExpectBlockEnd();
        _macroNames.Add(name);
        var body = ParseIsolatedBody("endmacro");
        return new MacroStatement(PositionOf(begin), name, parameters, body);
    }

    private CallBlockStatement ParseCallBlock(Token begin)
    {
        IReadOnlyList<MacroParameter> parameters = Current.IsOperator("(") ? ParseSignature() : [];
        var callToken = Current;
        if (ParseExpression() is not CallExpression call)
        {
            throw Error(callToken, "a call block needs a macro call");
        }

        ExpectBlockEnd();
        var body = ParseIsolatedBody("endcall");
        return new CallBlockStatement(PositionOf(begin), call, parameters, body);
    }

    /// <summary>A body that renders apart from any enclosing loop (macro, call, set and filter blocks): no break or continue reaches out of it.</summary>
    private Block ParseIsolatedBody(string endTag)
    {
        var loopDepth = _loopDepth;
        _loopDepth = 0;
        var (body, _) = ParseUntil(endTag);
        _loopDepth = loopDepth;
        ExpectBlockEnd();
        return body;
    }

    private List<MacroParameter> ParseSignature()
    {
        ExpectOperator("(");
        var parameters = new List<MacroParameter>();
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
            {
                ExpectOperator(",");
            }

            var name = Expect(TokenKind.Name);
            Expression? fallback = null;
            if (SkipOperator("="))
            {
                fallback = ParseExpression();
            }
            else if (parameters.Any(p => p.Default is not null))
            {
                throw Error(name, "non-default argument follows default argument");
            }

            parameters.Add(new MacroParameter(name.Text, fallback));
        }

        ExpectOperator(")");
        return parameters;
    }

    /// <summary>
    /// A <c>set</c>/<c>for</c>/<c>with</c> target: a name, names to unpack (<c>key, value</c>), or, for <c>set</c>,
    /// <c>ns.attribute</c>.
    /// </summary>
    private AssignTarget ParseAssignTarget(bool withNamespace, params string[] extraEnd)
    {
        var start = Current;
        if (withNamespace && start.Kind == TokenKind.Name && Peek(1).IsOperator("."))
        {
            _index += 2;
            var attribute = Expect(TokenKind.Name);
            return new NamespaceTarget(PositionOf(start), start.Text, attribute.Text);
        }

        return ToTarget(ParseTuple(simplified: true, extraEnd: extraEnd), start);
    }

    private AssignTarget ToTarget(Expression expression, Token start) => expression switch
    {
        NameExpression name when name.Name is not ("true" or "false" or "none" or "True" or "False" or "None") =>
            new NameTarget(name.Position, name.Name),
        TupleExpression tuple => new TupleTarget(tuple.Position, [.. tuple.Items.Select(item => ToTarget(item, start))]),
        _ => throw Error(start, "can't assign to this expression"),
    };

    private List<FilterCall> ParseFilterChain(bool required)
    {
        var filters = new List<FilterCall>();
        var first = required;
        while (first || SkipOperator("|"))
        {
            first = false;
            var (name, filter) = ParseFilterName();
            filters.Add(new FilterCall(PositionOf(name), filter, Current.IsOperator("(") ? ParseCallArguments() : ArgumentList.Empty));
        }

        return filters;
    }

    /// <summary>Every name called as a function must be a global the environment offers or a macro of this template.</summary>
    private void CheckCalledNames()
    {
        foreach (var (name, position) in _calledNames)
        {
            if (!_macroNames.Contains(name) && !Globals.TryGet(name, out _) && name != "caller")
            {
                throw Error(position, $"'{name}' is neither a macro of this template nor a function this chat template engine provides ({string.Join(", ", Globals.FunctionNames)})");
            }
        }
    }

    private void EnterNesting(Token token)
    {
        if (++_nesting > MaxNesting)
        {
            throw Error(token, $"the template nests deeper than {MaxNesting} levels");
        }
    }

    private Token Expect(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            throw Error(Current, $"expected {Describe(kind)}, got {Current.Describe()}");
        }

        return Advance();
    }

    private void ExpectBlockEnd() => Expect(TokenKind.BlockEnd);

    private void ExpectName(string name)
    {
        if (!SkipName(name))
        {
            throw Error(Current, $"expected '{name}', got {Current.Describe()}");
        }
    }

    private void ExpectOperator(string op)
    {
        if (!SkipOperator(op))
        {
            throw Error(Current, $"expected '{op}', got {Current.Describe()}");
        }
    }

    private bool SkipName(string name)
    {
        if (!Current.IsName(name))
        {
            return false;
        }

        _index++;
        return true;
    }

    private bool SkipOperator(string op)
    {
        if (!Current.IsOperator(op))
        {
            return false;
        }

        _index++;
        return true;
    }

    private static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.Name => "a name",
        TokenKind.BlockEnd => "end of statement block",
        TokenKind.VariableEnd => "end of print statement",
        _ => kind.ToString(),
    };
}
