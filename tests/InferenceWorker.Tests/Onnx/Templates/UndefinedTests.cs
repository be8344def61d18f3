using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// Jinja's default <c>Undefined</c>, what a missing variable, key, attribute or index gives: it prints as nothing, is
/// falsy, iterates as empty and has length 0, so templates probe optional fields with <c>is defined</c> or <c>default</c>.
/// Expected outputs are what Python's jinja2 3.1 renders, configured as transformers' apply_chat_template configures it
/// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, transformers' tojson).
/// </summary>
public sealed class UndefinedTests
{
    /// <summary>Missing variables, keys, attributes and indices.</summary>
    [Theory]
    [InlineData("[{{ missing }}][{{ d.zz }}][{{ d['zz'] }}][{{ l[10] }}][{{ s.nope }}][{{ none.attr }}]", "[][][][][][]")]
    [InlineData("{{ missing is defined }} {{ missing is undefined }} {{ d.c.x is defined }} {{ d.c.x is none }}", "False True True True")]
    [InlineData("{{ not missing }} {{ missing or 'fallback' }} {{ missing|default('d') }} {{ none|default('d') }} {{ ''|default('d', true) }}", "True fallback d None d")]
    [InlineData("{{ missing|length }} {{ missing|list }} {{ missing|join(',') }} [{{ missing|first }}] {{ 'a' ~ missing ~ 'b' }} {{ missing == missing }} {{ missing == none }}", "0 []  [] ab True False")]
    [InlineData("{{ ('x' if false) is defined }} {{ msgs[1].name is defined }} {{ msgs[0].name is defined }} {{ msgs[2].tool_calls is defined }}", "False True False True")]
    public void Render_MissingValue_UndefinedPrintsEmptyAndIsFalsy(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));
}
