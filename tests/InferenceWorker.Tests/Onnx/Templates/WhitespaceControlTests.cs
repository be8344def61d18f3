using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// Whitespace as transformers' Jinja settings shape it: trim_blocks drops the newline after a block or comment tag,
/// lstrip_blocks the indentation before one, <c>-</c> strips all whitespace on its side, <c>+</c> keeps it.
/// Expected outputs are what Python's jinja2 3.1 renders, configured as transformers' apply_chat_template configures it
/// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, transformers' tojson).
/// </summary>
public sealed class WhitespaceControlTests
{
    /// <summary>trim_blocks: one newline after <c>%}</c> and <c>#}</c> goes, none after <c>}}</c>; <c>+%}</c> keeps it.</summary>
    [Theory]
    [InlineData("{% if true %}\na\n{% endif %}\nb", "a\nb")]
    [InlineData("{# comment #}\nx", "x")]
    [InlineData("{{ 'v' }}\nx", "v\nx")]
    [InlineData("{% if true +%}\na{% endif %}", "\na")]
    [InlineData("{% if true %}\n\na{% endif %}", "\na")]
    [InlineData("{% for i in [1, 2] %}\n  - {{ i }}\n{% endfor %}\nend", "  - 1\n  - 2\nend")]
    public void Render_TrimBlocks_DropsFirstNewlineAfterBlockAndCommentTags(string template, string expected) => Assert.Equal(expected, Jinja(template));

    /// <summary>lstrip_blocks: spaces and tabs from the line's start to <c>{%</c> or <c>{#</c> go, not before <c>{{</c>, not after other text, not with <c>{%+</c>.</summary>
    [Theory]
    [InlineData("  {% if true %}\n    x\n  {% endif %}\n  y", "    x\n  y")]
    [InlineData("\t{% if true %}\n\tx\n\t{% endif %}", "\tx\n")]
    [InlineData("  {{ 'v' }}", "  v")]
    [InlineData("a  {% if true %}b{% endif %}", "a  b")]
    [InlineData("  {%+ if true %}kept{% endif %}", "  kept")]
    [InlineData("  {# c #}\nx", "x")]
    [InlineData("x\n   {% if true %}y{% endif %}", "x\ny")]
    [InlineData("{{ 1 }}  {% if true %}z{% endif %}", "1  z")]
    public void Render_LstripBlocks_DropsIndentationBeforeTagsAloneOnTheirLine(string template, string expected) => Assert.Equal(expected, Jinja(template));

    /// <summary><c>{%-</c>, <c>{{-</c>, <c>{#-</c> strip all whitespace before the tag, newlines included; <c>-%}</c>, <c>-}}</c>, <c>-#}</c> all after it.</summary>
    [Theory]
    [InlineData("a  {%- if true %} b {% endif -%}   c", "a b c")]
    [InlineData("a\n\n  {{- 'b' -}}  \n\n c", "abc")]
    [InlineData("{%- for i in [1, 2] -%}\n  [{{ i }}]\n{%- endfor -%}", "[1][2]")]
    [InlineData("x {#- c -#} y", "xy")]
    [InlineData("{% macro m() -%}\n  inside\n{%- endmacro %}\n[{{ m() }}]", "[inside]")]
    [InlineData("{% set s -%}\n  padded\n{%- endset %}[{{ s }}]", "[padded]")]
    public void Render_MinusModifier_StripsAllWhitespaceOnItsSide(string template, string expected) => Assert.Equal(expected, Jinja(template));

    /// <summary>Jinja turns \r\n and \r into \n and drops one trailing newline of the template (keep_trailing_newline=False).</summary>
    [Theory]
    [InlineData("a\r\nb\rc", "a\nb\nc")]
    [InlineData("a\n", "a")]
    [InlineData("a\n\n", "a\n")]
    [InlineData("{% if true %}\r\nx\r\n{% endif %}\r\ny", "x\ny")]
    public void Render_Newlines_NormalizedAndOneTrailingNewlineDropped(string template, string expected) => Assert.Equal(expected, Jinja(template));
}
