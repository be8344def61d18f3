using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// Jinja's scoping, which chat templates depend on: a <c>set</c> in a <c>for</c> body lives for one iteration (so
/// templates keep loop state in a <c>namespace</c>), a <c>set</c> in an <c>if</c> is seen after it, macros see the
/// template's variables but not their caller's.
/// Expected outputs are what Python's jinja2 3.1 renders, configured as transformers' apply_chat_template configures it
/// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, transformers' tojson).
/// </summary>
public sealed class ScopingTests
{
    /// <summary>A loop body's <c>set</c> shadows the outer name for the rest of that iteration only.</summary>
    [Theory]
    [InlineData("{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% set x = x + i %}{{ x }},{% endfor %}{{ x }}", "12,13,1")]
    [InlineData("{% for i in [1, 2] %}[{{ y }}]{% set y = i %}{% endfor %}[{{ y }}]", "[][][]")]
    [InlineData("{% for a in [1, 2] %}{% for b in [1] %}{% set inner = a %}{% endfor %}{{ inner is defined }}{% endfor %}", "FalseFalse")]
    [InlineData("{% for i in [1] %}{% if true %}{% set x = 5 %}{% endif %}{{ x }}{% endfor %}{{ x is defined }}", "5False")]
    public void Render_SetInLoop_LastsOneIterationAndReadsOuterValueFirst(string template, string expected) => Assert.Equal(expected, Jinja(template));

    /// <summary><c>set ns.attr</c> writes to the namespace object, which the loop body shares.</summary>
    [Theory]
    [InlineData("{% set ns = namespace(total=0, found=false) %}{% for i in [1, 2, 3] %}{% set ns.total = ns.total + i %}{% if i == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.total }} {{ ns.found }}", "6 True")]
    [InlineData("{% set ns = namespace() %}{% set ns.index = 0 %}{% for m in ['u', 'a'] %}{% set ns.index = ns.index + 1 %}{% endfor %}{{ ns.index }}", "2")]
    [InlineData("{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}{{ ns.c is defined }}", "12False")]
    public void Render_NamespaceAttribute_OutlivesLoopIterations(string template, string expected) => Assert.Equal(expected, Jinja(template));

    /// <summary><c>if</c> has no scope of its own; a top-level <c>set</c> replaces an input variable for the rest of the template.</summary>
    [Theory]
    [InlineData("{% if true %}{% set x = 1 %}{% endif %}{{ x }}", "{}", "1")]
    [InlineData("{% set messages = messages[1:] %}{{ messages|length }}{{ messages[0] }}", "{\"messages\": [\"s\", \"u\", \"a\"]}", "2u")]
    [InlineData("{% if not flag is defined %}{% set flag = 'default' %}{% endif %}{{ flag }}", "{}", "default")]
    [InlineData("{% if not flag is defined %}{% set flag = 'default' %}{% endif %}{{ flag }}", "{\"flag\": \"given\"}", "given")]
    public void Render_SetInIfAndTopLevel_VisibleAfterwards(string template, string variables, string expected) => Assert.Equal(expected, Jinja(template, variables));

    /// <summary>A macro sees the template's variables as they are when called, not its caller's loop variables; <c>with</c> names exist only inside.</summary>
    [Theory]
    [InlineData("{% set x = 1 %}{% macro m() %}[{{ x }}]{% endmacro %}{% set x = 2 %}{{ m() }}", "[2]")]
    [InlineData("{% macro m() %}[{{ i }}]{% endmacro %}{% for i in [5] %}{{ m() }}{% endfor %}", "[]")]
    [InlineData("{% for i in [1, 2] %}{% macro q() %}{{ i }}{% endmacro %}{{ q() }}{% endfor %}", "12")]
    [InlineData("{% macro m() %}{% set leaked = 1 %}{% endmacro %}{{ m() }}{{ leaked is defined }}", "False")]
    [InlineData("{% with a = 5, b = 6 %}{{ a + b }}{% endwith %}{{ a is defined }}", "11False")]
    public void Render_MacroAndWith_OwnScopes(string template, string expected) => Assert.Equal(expected, Jinja(template));
}
