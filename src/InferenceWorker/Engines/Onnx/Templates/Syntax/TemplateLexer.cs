using System.Globalization;
using System.Text;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

/// <summary>
/// Jinja's lexer, configured as transformers configures it (<c>trim_blocks=True</c>, <c>lstrip_blocks=True</c>):
/// <list type="bullet">
/// <item><c>{%-</c>, <c>{{-</c>, <c>{#-</c> strip all whitespace before the tag, <c>-%}</c>, <c>-}}</c>, <c>-#}</c> all after it;</item>
/// <item>trim_blocks drops the first newline after <c>%}</c> and <c>#}</c> (not after <c>}}</c>); <c>+%}</c> keeps it;</item>
/// <item>lstrip_blocks drops the spaces and tabs between a line's start and a <c>{%</c> or <c>{#</c> (not <c>{{</c>) when
/// nothing else is on the line before it; <c>{%+</c> keeps them.</item>
/// </list>
/// The rules follow <c>jinja2/lexer.py</c> (3.1), including its notion of "line start": after a newline inside the
/// text, or when the previous tag's end consumed a newline.
/// </summary>
internal sealed class TemplateLexer
{
    private readonly SourceText _source;
    private readonly string _text;
    private readonly List<Token> _tokens = [];
    private int _position;
    private bool _lineStarting = true;

    private TemplateLexer(SourceText source)
    {
        _source = source;
        _text = source.Text;
    }

    public static List<Token> Tokenize(SourceText source)
    {
        var lexer = new TemplateLexer(source);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (_position < _text.Length)
        {
            var tagStart = FindTagStart(_position);
            if (tagStart < 0)
            {
                AddText(_text[_position..], _position);
                break;
            }

            var kind = _text[tagStart + 1];
            var signAt = tagStart + 2;
            var sign = signAt < _text.Length && _text[signAt] is '-' or '+' ? _text[signAt] : '\0';
            AddText(ControlWhitespace(_text[_position..tagStart], kind, sign), _position);
            _position = signAt + (sign == '\0' ? 0 : 1);

            switch (kind)
            {
                case '#':
                    SkipComment(tagStart);
                    break;
                case '%':
                    RefuseRaw(tagStart);
                    LexTag(tagStart, TokenKind.BlockBegin, TokenKind.BlockEnd);
                    break;
                default:
                    LexTag(tagStart, TokenKind.VariableBegin, TokenKind.VariableEnd);
                    break;
            }
        }

        _tokens.Add(new Token(TokenKind.End, "", _text.Length));
    }

    private int FindTagStart(int from)
    {
        for (var i = _text.IndexOf('{', from); i >= 0 && i < _text.Length - 1; i = _text.IndexOf('{', i + 1))
        {
            if (_text[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Applies <c>-</c> and lstrip_blocks to the text before a tag.</summary>
    private string ControlWhitespace(string text, char kind, char sign)
    {
        if (sign == '-')
        {
            return PyOps.Strip(text, null, start: false, end: true);
        }

        if (sign == '+' || kind == '{')
        {
            return text;
        }

        // Jinja: strip only if the text between the last newline (or the template's or a line's start) and the tag is
        // all whitespace.
        var lineStart = text.LastIndexOf('\n') + 1;
        if ((lineStart > 0 || _lineStarting) && lineStart < text.Length && AllSpace(text, lineStart))
        {
            return text[..lineStart];
        }

        return text;
    }

    private static bool AllSpace(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (!PyOps.IsSpace(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private void AddText(string text, int offset)
    {
        if (text.Length > 0)
        {
            _tokens.Add(new Token(TokenKind.Text, text, offset));
        }
    }

    /// <summary>Skips a comment up to its <c>#}</c>, applying the end's whitespace control.</summary>
    private void SkipComment(int tagStart)
    {
        var end = _text.IndexOf("#}", _position, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error(tagStart, "Missing end of comment tag");
        }

        var sign = end > _position && _text[end - 1] is '-' or '+' ? _text[end - 1] : '\0';
        _position = end + 2;
        EndTag(sign);
    }

    /// <summary>After a <c>%}</c> or <c>#}</c> (<paramref name="sign"/> being what preceded it): the whitespace control it asks for.</summary>
    private void EndTag(char sign)
    {
        var start = _position;
        if (sign == '-')
        {
            while (_position < _text.Length && PyOps.IsSpace(_text[_position]))
            {
                _position++;
            }
        }
        else if (sign != '+' && _position < _text.Length && _text[_position] == '\n')
        {
            _position++; // trim_blocks
        }

        _lineStarting = _position > start && _text[_position - 1] == '\n';
    }

    private void RefuseRaw(int tagStart)
    {
        var i = _position;
        while (i < _text.Length && PyOps.IsSpace(_text[i]))
        {
            i++;
        }

        if (string.CompareOrdinal(_text, i, "raw", 0, 3) == 0 && (i + 3 >= _text.Length || !IsNamePart(_text[i + 3])))
        {
            throw Error(tagStart, "the 'raw' tag is not supported by this chat template engine");
        }
    }

    private void LexTag(int tagStart, TokenKind begin, TokenKind end)
    {
        _tokens.Add(new Token(begin, _text[tagStart.._position], tagStart));
        var closers = new Stack<char>();
        var isBlock = begin == TokenKind.BlockBegin;
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error(tagStart, $"unexpected end of template, expected the end of the {(isBlock ? "block ('%}')" : "print statement ('}}')")}");
            }

            if (closers.Count == 0 && TryEndTag(isBlock, end))
            {
                return;
            }

            var c = _text[_position];
            if (PyOps.IsSpace(c))
            {
                _position++;
            }
            else if (char.IsAsciiDigit(c))
            {
                LexNumber();
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = _position;
                while (_position < _text.Length && IsNamePart(_text[_position]))
                {
                    _position++;
                }

                _tokens.Add(new Token(TokenKind.Name, _text[start.._position], start));
            }
            else if (c is '\'' or '"')
            {
                LexString();
            }
            else
            {
                LexOperator(closers);
            }
        }
    }

    private bool TryEndTag(bool isBlock, TokenKind end)
    {
        var close = isBlock ? "%}" : "}}";
        var start = _position;
        var sign = _text[_position] is '-' or '+' ? _text[_position] : '\0';
        // Jinja has "+%}" but no "+}}".
        if (sign == '+' && !isBlock)
        {
            sign = '\0';
        }

        var at = _position + (sign == '\0' ? 0 : 1);
        if (string.CompareOrdinal(_text, at, close, 0, 2) != 0)
        {
            return false;
        }

        _tokens.Add(new Token(end, _text[start..(at + 2)], start));
        _position = at + 2;
        if (isBlock)
        {
            EndTag(sign);
        }
        else
        {
            var afterClose = _position;
            if (sign == '-')
            {
                while (_position < _text.Length && PyOps.IsSpace(_text[_position]))
                {
                    _position++;
                }
            }

            _lineStarting = _position > afterClose && _text[_position - 1] == '\n';
        }

        return true;
    }

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>
    /// Jinja's number rules: a float needs a fraction or an exponent (and is not lexed right after a '.', so
    /// <c>messages.0</c> stays an index); an integer is decimal, or 0b/0o/0x; '_' may separate digits.
    /// </summary>
    private void LexNumber()
    {
        var start = _position;
        var afterDot = start > 0 && _text[start - 1] == '.';
        if (!afterDot && TryLexFloat(out var end))
        {
            var literal = _text[start..end].Replace("_", "", StringComparison.Ordinal);
            _tokens.Add(new Token(TokenKind.Float, _text[start..end], start, double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture)));
            _position = end;
            return;
        }

        var numberBase = 10;
        var digitsStart = start;
        if (_text[start] == '0' && start + 1 < _text.Length && char.ToLowerInvariant(_text[start + 1]) is 'b' or 'o' or 'x')
        {
            numberBase = char.ToLowerInvariant(_text[start + 1]) switch { 'b' => 2, 'o' => 8, _ => 16 };
            digitsStart = start + 2;
        }

        var i = digitsStart;
        while (i < _text.Length && (_text[i] == '_' || IsDigit(_text[i], numberBase)))
        {
            i++;
        }

        var digits = _text[digitsStart..i].Replace("_", "", StringComparison.Ordinal);
        long value = 0;
        foreach (var digit in digits)
        {
            try
            {
                value = checked((value * numberBase) + Convert.ToInt32(digit.ToString(), 16));
            }
            catch (OverflowException)
            {
                throw Error(start, "integer literal too large (this engine's integers are 64-bit)");
            }
        }

        if (digits.Length == 0)
        {
            throw Error(start, "invalid integer literal");
        }

        _tokens.Add(new Token(TokenKind.Integer, _text[start..i], start, value));
        _position = i;
    }

    private static bool IsDigit(char c, int numberBase) => numberBase switch
    {
        2 => c is '0' or '1',
        8 => c is >= '0' and <= '7',
        10 => char.IsAsciiDigit(c),
        _ => char.IsAsciiHexDigit(c),
    };

    private bool TryLexFloat(out int end)
    {
        var i = SkipDigits(_position);
        var hasFraction = false;
        if (i < _text.Length - 1 && _text[i] == '.' && char.IsAsciiDigit(_text[i + 1]))
        {
            i = SkipDigits(i + 1);
            hasFraction = true;
        }

        var hasExponent = false;
        if (i < _text.Length && _text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < _text.Length && _text[j] is '+' or '-')
            {
                j++;
            }

            if (j < _text.Length && char.IsAsciiDigit(_text[j]))
            {
                i = SkipDigits(j);
                hasExponent = true;
            }
        }

        end = i;
        return hasFraction || hasExponent;
    }

    private int SkipDigits(int i)
    {
        while (i < _text.Length && (char.IsAsciiDigit(_text[i]) || (_text[i] == '_' && i + 1 < _text.Length && char.IsAsciiDigit(_text[i + 1]))))
        {
            i++;
        }

        return i;
    }

    /// <summary>A quoted string, decoded with Python's escape rules, as Jinja decodes it.</summary>
    private void LexString()
    {
        var start = _position;
        var quote = _text[start];
        var i = start + 1;
        while (i < _text.Length && _text[i] != quote)
        {
            i += _text[i] == '\\' ? 2 : 1;
        }

        if (i >= _text.Length)
        {
            throw Error(start, "unterminated string literal");
        }

        _position = i + 1;
        _tokens.Add(new Token(TokenKind.String, _text[start.._position], start, Unescape(_text[(start + 1)..i], start)));
    }

    /// <summary>Python's <c>unicode-escape</c> decoding: \n \t \\ \' \" \xhh \uhhhh \Uhhhhhhhh, octal; an unknown escape stays as written.</summary>
    private string Unescape(string raw, int offset)
    {
        if (!raw.Contains('\\', StringComparison.Ordinal))
        {
            return raw;
        }

        var builder = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\' || i == raw.Length - 1)
            {
                builder.Append(raw[i]);
                continue;
            }

            var c = raw[++i];
            switch (c)
            {
                case '\n': break; // a backslash-newline continues the line
                case '\\' or '\'' or '"': builder.Append(c); break;
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'v': builder.Append('\v'); break;
                case 'a': builder.Append('\a'); break;
                case 'x' or 'u' or 'U':
                    var width = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                    if (raw.Length - i - 1 < width
                        || !uint.TryParse(raw.AsSpan(i + 1, width), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                        || code > 0x10FFFF)
                    {
                        throw Error(offset, $"truncated or invalid \\{c} escape in a string literal");
                    }

                    // Python allows a lone surrogate in a string; .NET's char holds it too.
                    builder.Append(code < 0x10000 ? ((char)code).ToString() : char.ConvertFromUtf32((int)code));
                    i += width;
                    break;
                case >= '0' and <= '7':
                    var octal = c - '0';
                    for (var n = 0; n < 2 && i + 1 < raw.Length && raw[i + 1] is >= '0' and <= '7'; n++)
                    {
                        octal = (octal * 8) + (raw[++i] - '0');
                    }

                    builder.Append((char)octal);
                    break;
                case 'N':
                    throw Error(offset, "\\N{...} escapes are not supported by this chat template engine");
                default:
                    builder.Append('\\').Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    private static readonly string[] s_operators =
        ["//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"];

    private void LexOperator(Stack<char> closers)
    {
        foreach (var op in s_operators)
        {
            if (string.CompareOrdinal(_text, _position, op, 0, op.Length) != 0)
            {
                continue;
            }

            switch (op)
            {
                case "(": closers.Push(')'); break;
                case "[": closers.Push(']'); break;
                case "{": closers.Push('}'); break;
                case ")" or "]" or "}":
                    if (closers.Count == 0)
                    {
                        throw Error(_position, $"unexpected '{op}'");
                    }

                    var expected = closers.Pop();
                    if (expected != op[0])
                    {
                        throw Error(_position, $"unexpected '{op}', expected '{expected}'");
                    }

                    break;
            }

            _tokens.Add(new Token(TokenKind.Operator, op, _position));
            _position += op.Length;
            return;
        }

        throw Error(_position, $"unexpected char '{_text[_position]}'");
    }

    private OnnxModelException Error(int offset, string message) => TemplateParser.Error(_source, offset, message);
}
