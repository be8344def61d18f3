using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// <c>for</c> loops: the <c>loop</c> variable, filtered loops, <c>else</c>, <c>break</c>/<c>continue</c> (transformers
/// enables Jinja's loopcontrols) and unpacking.
/// Expected outputs are what Python's jinja2 3.1 renders, configured as transformers' apply_chat_template configures it
/// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, transformers' tojson).
/// </summary>
public sealed class LoopTests
{
    /// <summary>Every <c>loop</c> attribute templates use.</summary>
    [Theory]
    [InlineData("{% for i in [10, 20, 30] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}", "1032TrueFalse3;2121FalseFalse3;3210FalseTrue3;")]
    [InlineData("{% for i in [10, 20, 30] %}[{{ loop.previtem }}|{{ loop.nextitem }}]{{ loop.previtem is defined }}{% endfor %}", "[|20]False[10|30]True[20|]True")]
    [InlineData("{% for i in [1, 2, 3] %}{{ loop.cycle('odd', 'even') }} {{ loop.depth }}{{ loop.depth0 }};{% endfor %}", "odd 10;even 10;odd 10;")]
    [InlineData("{% for a in [1, 2] %}{% for b in 'xy' %}{{ loop.index }}{{ b }}{% endfor %}{{ loop.index }};{% endfor %}", "1x2y1;1x2y2;")]
    public void Render_LoopVariable_IndicesNeighboursAndCycle(string template, string expected) => Assert.Equal(expected, Jinja(template));

    /// <summary><c>for x in xs if cond</c> numbers the kept items; <c>else</c> runs when nothing was iterated.</summary>
    [Theory]
    [InlineData("{% for i in [1, 2, 3, 4] if i is even %}{{ loop.index }}/{{ loop.length }}={{ i }};{% endfor %}", "1/2=2;2/2=4;")]
    [InlineData("{% for i in [1, 3] if i is even %}{{ i }}{% else %}none{% endfor %}", "none")]
    [InlineData("{% for i in [] %}x{% else %}empty{% endfor %}", "empty")]
    [InlineData("{% for i in undefined_name %}x{% else %}nothing to iterate{% endfor %}", "nothing to iterate")]
    [InlineData("{% for i in [1] %}x{% else %}y{% endfor %}", "x")]
    public void Render_FilteredLoopAndElse_CountsOnlyKeptItems(string template, string expected) => Assert.Equal(expected, Jinja(template));

    /// <summary>Loop controls affect the innermost loop only; as in Jinja, <c>else</c> runs unless an iteration reached the end of the body.</summary>
    [Theory]
    [InlineData("{% for i in [1, 2, 3, 4] %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif %}{{ i }}{% endfor %}", "13")]
    [InlineData("{% for a in [1, 2] %}{% for b in [1, 2, 3] %}{% if b == 2 %}{% break %}{% endif %}{{ a }}{{ b }} {% endfor %}{% endfor %}", "11 21 ")]
    [InlineData("{% for i in [1, 2] %}{{ i }}{% if i == 2 %}{% break %}{% endif %}{% else %}else{% endfor %}done", "12done")]
    [InlineData("{% for i in [1, 2] %}{% break %}{% else %}else{% endfor %}done", "elsedone")]
    [InlineData("{% for i in [1, 2] %}{{ i }}{% continue %}{% else %}else{% endfor %}done", "12elsedone")]
    public void Render_BreakAndContinue_LeaveOrSkipTheIteration(string template, string expected) => Assert.Equal(expected, Jinja(template));

    /// <summary><c>for a, b in …</c> unpacks each item; a dict iterates its keys, a string its characters.</summary>
    [Theory]
    [InlineData("{% for k, v in {'b': 1, 'a': 2}.items() %}{{ k }}={{ v }};{% endfor %}", "b=1;a=2;")]
    [InlineData("{% for k, v in {'b': 1, 'a': 2}|items %}{{ k }}{{ v }}{% endfor %}", "b1a2")]
    [InlineData("{% for a, b in [[1, 2], (3, 4), 'xy'] %}{{ a }}{{ b }};{% endfor %}", "12;34;xy;")]
    [InlineData("{% for (a, b), c in [((1, 2), 3)] %}{{ a }}{{ b }}{{ c }}{% endfor %}", "123")]
    [InlineData("{% for k in {'z': 1, 'y': 2} %}{{ k }}{% endfor %}", "zy")]
    [InlineData("{% for c in 'héllo\U0001f600' %}[{{ c }}]{% endfor %}", "[h][é][l][l][o][\U0001f600]")]
    public void Render_Unpacking_TuplesListsStringsAndDictItems(string template, string expected) => Assert.Equal(expected, Jinja(template));
}
