using AiPlatform.InferenceWorker.Engines.Onnx;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// A template the engine cannot run must stop the worker at start, saying where and what: invalid Jinja, and every
/// construct the engine does not implement (refused rather than rendered approximately), even in a branch no request
/// would reach.
/// </summary>
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("{{ x|wordcount }}", "line 1, column 6", "no filter named 'wordcount'")]
    [InlineData("a\n{% if x is positive %}{% endif %}", "line 2, column 12", "no test named 'positive'")]
    [InlineData("{% if false %}\n  {{ content.zfill(3) }}\n{% endif %}", "line 2, column 14", "the method 'zfill' is not supported")]
    [InlineData("{{ lipsum(2) }}", "line 1, column 4", "'lipsum' is neither a macro of this template nor a function")]
    [InlineData("{% include 'other.jinja' %}", "line 1, column 4", "the 'include' tag is not supported")]
    [InlineData("{% raw %}{{ x }}{% endraw %}", "line 1, column 1", "the 'raw' tag is not supported")]
    [InlineData("{% for m in messages recursive %}{% endfor %}", "line 1, column 22", "recursive loops are not supported")]
    [InlineData("{% frobnicate %}", "line 1, column 4", "unknown tag 'frobnicate'")]
    [InlineData("{{ xs|selectattr('role', 'matches', 'u') }}", "line 1, column 26", "no test named 'matches'")]
    [InlineData("{{ xs|map('shout') }}", "line 1, column 11", "no filter named 'shout'")]
    public void Parse_UnsupportedConstruct_NamesItAndItsPosition(string template, string position, string what)
    {
        var error = Assert.Throws<OnnxModelException>(() => ChatTemplate.Parse(template));

        Assert.StartsWith($"Chat template {position}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% if x %}\nno end", "line 2, column 7", "unexpected end of template; looking for the tag 'elif' or 'else' or 'endif'")]
    [InlineData("{{ 'unterminated }}", "line 1, column 4", "unterminated string literal")]
    [InlineData("{% if %}{% endif %}", "line 1, column 7", "expected an expression")]
    [InlineData("{{ (1, 2 }}", "line 1, column 10", "unexpected '}', expected ')'")]
    [InlineData("{# never closed", "line 1, column 1", "Missing end of comment tag")]
    [InlineData("{% break %}", "line 1, column 4", "'break' outside of a loop")]
    [InlineData("{% for x in y %}{% macro m() %}{% break %}{% endmacro %}{% endfor %}", "line 1, column 35", "'break' outside of a loop")]
    [InlineData("{{ x }", "line 1, column 6", "unexpected '}'")]
    [InlineData("{% set 1 = x %}", "line 1, column 8", "can't assign")]
    [InlineData("{% endif %}", "line 1, column 4", "unknown tag 'endif'")]
    public void Parse_InvalidJinja_NamesPositionAndProblem(string template, string position, string what)
    {
        var error = Assert.Throws<OnnxModelException>(() => ChatTemplate.Parse(template));

        Assert.StartsWith($"Chat template {position}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExpressionsNestedBeyondLimit_RefusedInsteadOfOverflowingTheStack()
    {
        var template = "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}";

        var error = Assert.Throws<OnnxModelException>(() => ChatTemplate.Parse(template));

        Assert.Contains("nests deeper than", error.Message, StringComparison.Ordinal);
    }
}
