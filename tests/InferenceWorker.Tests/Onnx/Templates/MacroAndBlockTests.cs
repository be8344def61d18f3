using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// Macros (tool-calling templates render JSON schemas with recursive ones), call blocks, <c>set</c> blocks,
/// <c>filter</c> blocks, and transformers' <c>generation</c> tag, which renders its body unchanged.
/// Expected outputs are what Python's jinja2 3.1 renders, configured as transformers' apply_chat_template configures it
/// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, transformers' tojson).
/// </summary>
public sealed class MacroAndBlockTests
{
    /// <summary>Positional and keyword arguments, defaults evaluated per call, missing arguments undefined, recursion, <c>caller</c>, <c>*args</c>.</summary>
    [Theory]
    [InlineData("{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Bob') }}|{{ greet('Al', greeting='Hi') }}|{{ greet(name='X', greeting='Yo') }}|{{ greet() }}", "Hello, Bob!|Hi, Al!|Yo, X!|Hello, !")]
    [InlineData("{% macro rec(n) %}{% if n > 0 %}{{ n }}{{ rec(n - 1) }}{% endif %}{% endmacro %}{{ rec(5) }}", "54321")]
    [InlineData("{% macro py_type(t) %}{% if t.type == 'array' %}list[{{ py_type(t['items']) }}]{% elif t.type == 'string' %}str{% else %}Any{% endif %}{% endmacro %}{{ py_type({'type': 'array', 'items': {'type': 'array', 'items': {'type': 'string'}}}) }}", "list[list[str]]")]
    [InlineData("{% macro outer() %}[{{ caller() }}]{% endmacro %}{% call outer() %}inside{% endcall %}|{% macro two() %}{{ caller(1, 2) }}{% endmacro %}{% call(a, b) two() %}{{ a + b }}{% endcall %}", "[inside]|3")]
    [InlineData("{% macro m(a, b) %}{{ a }}-{{ b }}{% endmacro %}{% set calls = [m] %}{% set args = [[1, 2]] %}{{ calls[0](*args[0]) }}|{{ m(**{'a': 3, 'b': 4}) }}", "1-2|3-4")]
    [InlineData("{% macro m() %}x{% endmacro %}{{ m() ~ m() }}|{{ m()|length }}|{{ m is callable }}", "xx|1|True")]
    public void Render_Macros_ArgumentsDefaultsRecursionAndCaller(string template, string expected) => Assert.Equal(expected, Jinja(template));

    /// <summary><c>set</c> blocks capture their body (through filters), <c>filter</c> blocks filter it, <c>generation</c> renders it.</summary>
    [Theory]
    [InlineData("{% set block %}  x {{ 1 + 1 }} {% endset %}[{{ block }}]|{% set up | upper | trim %} abc {% endset %}[{{ up }}]", "[  x 2 ]|[ABC]")]
    [InlineData("{% filter upper %}hello {{ 'world' }}{% endfilter %}|{% filter replace('a', 'b') | title %}aaa aaa{% endfilter %}", "HELLO WORLD|Bbb Bbb")]
    [InlineData("{% generation %}assistant text{% set hidden = 1 %}{% endgeneration %}|{{ hidden is defined }}", "assistant text|False")]
    public void Render_Blocks_SetFilterWithAndGeneration(string template, string expected) => Assert.Equal(expected, Jinja(template));
}
