using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

/// <summary>
/// Expressions, with Jinja's precedence from loosest to tightest: <c>x if c else y</c>, <c>or</c>, <c>and</c>,
/// <c>not</c>, comparisons and <c>in</c>, <c>+ -</c>, <c>~</c>, <c>* / // %</c>, <c>**</c>, unary <c>- +</c>, then
/// filters, tests and calls, then <c>.attr</c>, <c>[key]</c> and calls on a primary. So <c>'a' + x | trim</c> trims
/// only <c>x</c>, and <c>not x is defined</c> negates the test.
/// </summary>
internal sealed partial class TemplateParser
{
    private static readonly HashSet<string> s_comparisons = ["==", "!=", "<", "<=", ">", ">="];

    /// <summary>Jinja's <c>parse_tuple</c>: an expression, or several separated by commas making a tuple.</summary>
    private Expression ParseTuple(bool simplified = false, bool withConditional = true, bool explicitParentheses = false, params string[] extraEnd)
    {
        var start = Current;
        var items = new List<Expression>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
            {
                ExpectOperator(",");
            }

            if (IsTupleEnd(extraEnd))
            {
                break;
            }

            items.Add(simplified ? ParsePrimary() : withConditional ? ParseExpression() : ParseOr());
            if (Current.IsOperator(","))
            {
                isTuple = true;
            }
            else
            {
                break;
            }
        }

        if (!isTuple)
        {
            if (items.Count > 0)
            {
                return items[0];
            }

            if (!explicitParentheses)
            {
                throw Error(Current, $"expected an expression, got {Current.Describe()}");
            }
        }

        return new TupleExpression(PositionOf(start), items);
    }

    private bool IsTupleEnd(string[] extraEnd) =>
        Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd or TokenKind.End || Current.IsOperator(")")
        || (Current.Kind == TokenKind.Name && extraEnd.Contains(Current.Text));

    private Expression ParseExpression() => ParseConditional();

    private Expression ParseConditional()
    {
        var expression = ParseOr();
        while (Current.IsName("if"))
        {
            var token = Advance();
            var condition = ParseOr();
            var otherwise = SkipName("else") ? ParseConditional() : null;
            expression = new ConditionalExpression(PositionOf(token), condition, expression, otherwise);
        }

        return expression;
    }

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsName("or"))
        {
            var token = Advance();
            left = new LogicalExpression(PositionOf(token), isAnd: false, left, ParseAnd());
        }

        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsName("and"))
        {
            var token = Advance();
            left = new LogicalExpression(PositionOf(token), isAnd: true, left, ParseNot());
        }

        return left;
    }

    private Expression ParseNot()
    {
        if (!Current.IsName("not"))
        {
            return ParseCompare();
        }

        var token = Advance();
        EnterNesting(token);
        try
        {
            return new NotExpression(PositionOf(token), ParseNot());
        }
        finally
        {
            _nesting--;
        }
    }

    private Expression ParseCompare()
    {
        var start = Current;
        var first = ParseMath1();
        var operations = new List<KeyValuePair<string, Expression>>();
        while (true)
        {
            if (Current.Kind == TokenKind.Operator && s_comparisons.Contains(Current.Text))
            {
                var op = Advance().Text;
                operations.Add(KeyValuePair.Create(op, ParseMath1()));
            }
            else if (SkipName("in"))
            {
                operations.Add(KeyValuePair.Create("in", ParseMath1()));
            }
            else if (Current.IsName("not") && Peek(1).IsName("in"))
            {
                _index += 2;
                operations.Add(KeyValuePair.Create("not in", ParseMath1()));
            }
            else
            {
                break;
            }
        }

        return operations.Count == 0 ? first : new CompareExpression(PositionOf(start), first, operations);
    }

    private Expression ParseMath1()
    {
        var left = ParseConcat();
        while (Current.IsOperator("+") || Current.IsOperator("-"))
        {
            var op = Advance();
            left = new BinaryExpression(PositionOf(op), op.Text, left, ParseConcat());
        }

        return left;
    }

    private Expression ParseConcat()
    {
        var start = Current;
        var parts = new List<Expression> { ParseMath2() };
        while (SkipOperator("~"))
        {
            parts.Add(ParseMath2());
        }

        return parts.Count == 1 ? parts[0] : new ConcatExpression(PositionOf(start), parts);
    }

    private Expression ParseMath2()
    {
        var left = ParsePower();
        while (Current.Kind == TokenKind.Operator && Current.Text is "*" or "/" or "//" or "%")
        {
            var op = Advance();
            left = new BinaryExpression(PositionOf(op), op.Text, left, ParsePower());
        }

        return left;
    }

    /// <summary><c>**</c>, left-associative in Jinja (unlike Python): <c>2 ** 3 ** 2</c> is 64.</summary>
    private Expression ParsePower()
    {
        var left = ParseUnary(withFilter: true);
        while (Current.IsOperator("**"))
        {
            var op = Advance();
            left = new BinaryExpression(PositionOf(op), op.Text, left, ParseUnary(withFilter: true));
        }

        return left;
    }

    private Expression ParseUnary(bool withFilter)
    {
        var token = Current;
        EnterNesting(token);
        try
        {
            Expression node;
            if (Current.IsOperator("-") || Current.IsOperator("+"))
            {
                Advance();
                node = new UnaryExpression(PositionOf(token), token.Text == "-", ParseUnary(withFilter: false));
            }
            else
            {
                node = ParsePrimary();
            }

            node = ParsePostfix(node);
            return withFilter ? ParseFilterExpression(node) : node;
        }
        finally
        {
            _nesting--;
        }
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        var position = PositionOf(token);
        switch (token.Kind)
        {
            case TokenKind.Name:
                Advance();
                return token.Text switch
                {
                    "true" or "True" => new ConstantExpression(position, true),
                    "false" or "False" => new ConstantExpression(position, false),
                    "none" or "None" => new ConstantExpression(position, null),
                    _ => new NameExpression(position, token.Text),
                };
            case TokenKind.String:
                // Adjacent string literals concatenate, as in Python.
                var text = (string)Advance().Value!;
                while (Current.Kind == TokenKind.String)
                {
                    text += (string)Advance().Value!;
                }

                return new ConstantExpression(position, text);
            case TokenKind.Integer or TokenKind.Float:
                return new ConstantExpression(position, Advance().Value);
            case TokenKind.Operator when token.Text == "(":
                Advance();
                EnterNesting(token);
                var inner = ParseTuple(explicitParentheses: true);
                _nesting--;
                ExpectOperator(")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                return ParseList();
            case TokenKind.Operator when token.Text == "{":
                return ParseDict();
            default:
                throw Error(token, $"unexpected {token.Describe()}");
        }
    }

    private ListExpression ParseList()
    {
        var start = Advance();
        var items = new List<Expression>();
        while (!Current.IsOperator("]"))
        {
            if (items.Count > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator("]"))
                {
                    break;
                }
            }

            items.Add(ParseExpression());
        }

        ExpectOperator("]");
        return new ListExpression(PositionOf(start), items);
    }

    private DictExpression ParseDict()
    {
        var start = Advance();
        var pairs = new List<KeyValuePair<Expression, Expression>>();
        while (!Current.IsOperator("}"))
        {
            if (pairs.Count > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator("}"))
                {
                    break;
                }
            }

            var key = ParseExpression();
            ExpectOperator(":");
            pairs.Add(KeyValuePair.Create(key, ParseExpression()));
        }

        ExpectOperator("}");
        return new DictExpression(PositionOf(start), pairs);
    }

    private Expression ParsePostfix(Expression node)
    {
        while (true)
        {
            if (Current.IsOperator(".") || Current.IsOperator("["))
            {
                node = ParseSubscript(node);
            }
            else if (Current.IsOperator("("))
            {
                node = ParseCall(node);
            }
            else
            {
                return node;
            }
        }
    }

    private Expression ParseFilterExpression(Expression node)
    {
        while (true)
        {
            if (Current.IsOperator("|"))
            {
                node = ParseFilter(node);
            }
            else if (Current.IsName("is"))
            {
                node = ParseTest(node);
            }
            else if (Current.IsOperator("("))
            {
                node = ParseCall(node);
            }
            else
            {
                return node;
            }
        }
    }

    private Expression ParseSubscript(Expression node)
    {
        var token = Advance();
        var position = PositionOf(token);
        if (token.Text == ".")
        {
            var attribute = Advance();
            return attribute.Kind switch
            {
                TokenKind.Name => new AttributeExpression(PositionOf(attribute), node, attribute.Text),
                TokenKind.Integer => new ItemExpression(position, node, new ConstantExpression(PositionOf(attribute), attribute.Value)),
                _ => throw Error(attribute, "expected a name or a number after '.'"),
            };
        }

        Expression? start = null, stop = null, step = null;
        var isSlice = false;
        if (!Current.IsOperator(":"))
        {
            start = ParseExpression();
        }

        if (SkipOperator(":"))
        {
            isSlice = true;
            if (!Current.IsOperator(":") && !Current.IsOperator("]"))
            {
                stop = ParseExpression();
            }

            if (SkipOperator(":") && !Current.IsOperator("]"))
            {
                step = ParseExpression();
            }
        }

        if (Current.IsOperator(","))
        {
            throw Error(Current, "subscripts with several indices are not supported by this chat template engine");
        }

        ExpectOperator("]");
        return isSlice ? new SliceExpression(position, node, start, stop, step) : new ItemExpression(position, node, start!);
    }

    private CallExpression ParseCall(Expression callee)
    {
        var token = Current;
        switch (callee)
        {
            case NameExpression name:
                _calledNames.Add(KeyValuePair.Create(name.Name, name.Position));
                break;
            case AttributeExpression attribute when !Methods.IsSupported(attribute.Name):
                throw Error(attribute.Position, $"the method '{attribute.Name}' is not supported by this chat template engine");
        }

        return new CallExpression(PositionOf(token), callee, ParseCallArguments());
    }

    private ArgumentList ParseCallArguments()
    {
        ExpectOperator("(");
        var positional = new List<Expression>();
        var keywords = new List<KeyValuePair<string, Expression>>();
        Expression? positionalSpread = null, keywordSpread = null;
        var count = 0;
        while (!Current.IsOperator(")"))
        {
            if (count++ > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator(")"))
                {
                    break;
                }
            }

            if (Current.IsOperator("*") || Current.IsOperator("**"))
            {
                var star = Advance();
                if ((star.Text == "*" ? positionalSpread : keywordSpread) is not null || keywordSpread is not null)
                {
                    throw Error(star, "invalid syntax for function call expression");
                }

                if (star.Text == "*")
                {
                    positionalSpread = ParseExpression();
                }
                else
                {
                    keywordSpread = ParseExpression();
                }
            }
            else if (Current.Kind == TokenKind.Name && Peek(1).IsOperator("="))
            {
                var key = Advance().Text;
                Advance();
                keywords.Add(KeyValuePair.Create(key, ParseExpression()));
            }
            else
            {
                if (keywords.Count > 0 || positionalSpread is not null)
                {
                    throw Error(Current, "invalid syntax for function call expression");
                }

                positional.Add(ParseExpression());
            }
        }

        ExpectOperator(")");
        return new ArgumentList(positional, keywords, positionalSpread, keywordSpread);
    }

    private FilterExpression ParseFilter(Expression node)
    {
        while (SkipOperator("|"))
        {
            var (name, filter) = ParseFilterName();
            var arguments = Current.IsOperator("(") ? ParseCallArguments() : ArgumentList.Empty;
            CheckNamedArgument(name.Text, arguments);
            node = new FilterExpression(PositionOf(name), node, filter, arguments);
        }

        return (FilterExpression)node;
    }

    private (Token Name, Filter Filter) ParseFilterName()
    {
        var name = Expect(TokenKind.Name);
        if (Current.IsOperator("."))
        {
            throw Error(Current, "dotted filter names are not supported by this chat template engine");
        }

        return Filters.TryGet(name.Text, out var filter)
            ? (name, filter)
            : throw Error(name, $"no filter named '{name.Text}' (not supported by this chat template engine)");
    }

    /// <summary>
    /// <c>select('odd')</c>, <c>selectattr('role', 'equalto', …)</c> and <c>map('upper')</c> name a test or a filter
    /// in a string; a literal name is checked now, as the filter or test itself would be.
    /// </summary>
    private void CheckNamedArgument(string filter, ArgumentList arguments)
    {
        var index = filter switch
        {
            "select" or "reject" or "map" => 0,
            "selectattr" or "rejectattr" => 1,
            _ => -1,
        };
        if (index < 0 || index >= arguments.Positional.Count || arguments.Positional[index] is not ConstantExpression { Value: string name })
        {
            return;
        }

        var exists = filter == "map" ? Filters.Exists(name) : Tests.Exists(name);
        if (!exists)
        {
            throw Error(arguments.Positional[index].Position, $"no {(filter == "map" ? "filter" : "test")} named '{name}' (not supported by this chat template engine)");
        }
    }

    private TestExpression ParseTest(Expression node)
    {
        var isToken = Advance();
        var negated = SkipName("not");
        var name = Expect(TokenKind.Name);
        if (!Tests.TryGet(name.Text, out var test))
        {
            throw Error(name, $"no test named '{name.Text}' (not supported by this chat template engine)");
        }

        ArgumentList arguments;
        if (Current.IsOperator("("))
        {
            arguments = ParseCallArguments();
        }
        else if (Current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                 || Current.IsOperator("[") || Current.IsOperator("{") || Current.IsOperator("("))
        {
            if (Current.IsName("else") || Current.IsName("or") || Current.IsName("and"))
            {
                arguments = ArgumentList.Empty;
            }
            else if (Current.IsName("is"))
            {
                throw Error(Current, "You cannot chain multiple tests with is");
            }
            else
            {
                arguments = new ArgumentList([ParsePostfix(ParsePrimary())], []);
            }
        }
        else
        {
            arguments = ArgumentList.Empty;
        }

        return new TestExpression(PositionOf(isToken), node, test, arguments, negated);
    }
}
