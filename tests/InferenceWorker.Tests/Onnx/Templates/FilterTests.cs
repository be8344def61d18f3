using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// The filters chat templates use, with Jinja 3.1's semantics.
/// Expected outputs are what Python's jinja2 3.1 renders, configured as transformers' apply_chat_template configures it
/// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, transformers' tojson).
/// </summary>
public sealed class FilterTests
{
    /// <summary>trim, upper, lower, Jinja's own title, capitalize, replace, indent, string, escape and safe.</summary>
    [Theory]
    [InlineData("{{ '  a b \\n'|trim }}|{{ 'xxaxx'|trim('x') }}|{{ s|upper }}|{{ s|lower }}|{{ 'hELLO wORLD-x(y [z <w'|title }}|{{ \"they're\"|title }}|{{ 'hELLO'|capitalize }}", "a b|a|HELLO WORLD|hello world|Hello World-X(Y [Z <W|They're|Hello")]
    [InlineData("{{ s|replace('o', '0') }}|{{ s|replace('o', '0', 1) }}|{{ 'abc'|replace('', '-') }}|{{ 1.5|string }}|{{ none|string }}|{{ l|string }}", "Hell0 W0rld|Hell0 World|-a-b-c-|1.5|None|[3, 1, 2]")]
    [InlineData("{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb\\n\\nc'|indent(2, true) }}|{{ 'a\\nb\\n\\nc'|indent(2, blank=true) }}|{{ 'a\\nb'|indent('> ') }}|{{ 'a\\n'|indent(first=true) }}", "a\n    b\n\n    c|  a\n  b\n\n  c|a\n  b\n  \n  c|a\n> b|    a\n")]
    [InlineData("{{ '<b>&\"\\''|e }}|{{ '<b>'|escape }}|{{ '<b>'|safe }}|{{ 5|safe }}", "&lt;b&gt;&amp;&#34;&#39;|&lt;b&gt;|<b>|5")]
    public void Render_StringFilters_AsJinja(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));

    /// <summary>length, first, last, join, list, reverse, unique, sort, dictsort, items.</summary>
    [Theory]
    [InlineData("{{ l|length }} {{ d|count }} {{ u8|length }} {{ l|first }} {{ l|last }} {{ s|first }} {{ d|first }} {{ l|join(', ') }} {{ l|join }} {{ msgs|join('|', attribute='role') }}", "3 3 13 3 2 H b 3, 1, 2 312 system|user|assistant")]
    [InlineData("{{ l|list }} {{ 'ab'|list }} {{ d|list }} {{ l|reverse|list }} {{ s|reverse }} {{ (1, 2)|list }}", "[3, 1, 2] ['a', 'b'] ['b', 'a', 'c'] [2, 1, 3] dlroW olleH [1, 2]")]
    [InlineData("{{ ['a', 'A', 'b', 'a']|unique|list }} {{ ['a', 'A']|unique(case_sensitive=true)|list }} {{ msgs|map(attribute='role')|unique|list }}", "['a', 'b'] ['a', 'A'] ['system', 'user', 'assistant']")]
    [InlineData("{{ l|sort }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ l|sort(reverse=true) }} {{ msgs|sort(attribute='role')|map(attribute='role')|list }}", "[1, 2, 3] ['A', 'b', 'c'] ['A', 'b', 'c'] [3, 2, 1] ['assistant', 'system', 'user']")]
    [InlineData("{{ d|dictsort }} {{ {'b': 1, 'a': 2}|dictsort(by='value', reverse=true) }} {{ d|items|list }}", "[('a', [1, 2]), ('b', 1), ('c', {'x': None})] [('a', 2), ('b', 1)] [('b', 1), ('a', [1, 2]), ('c', {'x': None})]")]
    public void Render_SequenceFilters_AsJinja(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));

    /// <summary>map, select, reject, selectattr, rejectattr, with tests such as equalto.</summary>
    [Theory]
    [InlineData("{{ msgs|selectattr('role', 'equalto', 'user')|list|length }} {{ msgs|rejectattr('role', 'eq', 'user')|map(attribute='role')|list }} {{ msgs|selectattr('tool_calls', 'defined')|list|length }}", "1 ['system', 'assistant'] 1")]
    [InlineData("{{ msgs|map(attribute='name', default='anon')|list }} {{ msgs[2:]|map(attribute='tool_calls.0.function.name')|list }} {{ ['a', 'b']|map('upper')|list }} {{ [' a ']|map('trim')|list }}", "['anon', 'bob', 'anon'] ['get_weather'] ['A', 'B'] ['a']")]
    [InlineData("{{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3, 4]|reject('even')|list }} {{ [0, 1, '', 'a', none]|select|list }} {{ none|selectattr('x')|list }} {{ none|map('upper')|list }}", "[1, 3] [1, 3] [1, 'a'] [] []")]
    public void Render_SelectAndMapFilters_AsJinja(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));

    /// <summary>int, float, abs, default.</summary>
    [Theory]
    [InlineData("{{ '42'|int }} {{ '42.9'|int }} {{ 'x'|int(-1) }} {{ 3.99|int }} {{ -3.99|int }} {{ 'ff'|int(base=16) }} {{ none|int }} {{ true|int }}", "42 42 -1 3 -3 255 0 1")]
    [InlineData("{{ '1e2'|float }} {{ 'x'|float(1.5) }} {{ 5|float }} {{ -3|abs }} {{ -2.5|abs }} {{ 0|default('zero', true) }}", "100.0 1.5 5.0 3 2.5 zero")]
    public void Render_NumberFilters_AsJinja(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));
}
