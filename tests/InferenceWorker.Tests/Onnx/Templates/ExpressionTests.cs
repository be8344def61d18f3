using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// Expressions: literals, printing values as Python's <c>str</c> does, operators with Python's semantics and Jinja's
/// precedence, attribute and item access, slicing, and the string and dict methods templates call.
/// Expected outputs are what Python's jinja2 3.1 renders, configured as transformers' apply_chat_template configures it
/// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, transformers' tojson).
/// </summary>
public sealed class ExpressionTests
{
    /// <summary>None, booleans, floats, lists, tuples and dicts print as Python prints them, a cycle through a namespace as <c>{...}</c>.</summary>
    [Theory]
    [InlineData("{{ none }} {{ true }} {{ False }} {{ 1.0 }} {{ 1e16 }} {{ 1e15 }} {{ 1e-05 }} {{ 0.0001 }} {{ 0.1 + 0.2 }} {{ 1 / 3 }} {{ -0.0 }} {{ 123456789.123 }}", "None True False 1.0 1e+16 1000000000000000.0 1e-05 0.0001 0.30000000000000004 0.3333333333333333 -0.0 123456789.123")]
    [InlineData("{{ [none, true, 1.5, 'it\\'s', \"q\\\"q\", 'b\\\\s', 'nl\\n'] }} {{ (1,) }} {{ (1, 'a') }} {{ () }} {{ {'k': [1, {'z': none}]} }}", "[None, True, 1.5, \"it's\", 'q\"q', 'b\\\\s', 'nl\\n'] (1,) (1, 'a') () {'k': [1, {'z': None}]}")]
    [InlineData("{{ d }} {{ msgs[1] }}", "{'b': 1, 'a': [1, 2], 'c': {'x': None}} {'role': 'user', 'content': 'Hi', 'name': 'bob'}")]
    [InlineData("{{ '\\u00e9\\x41\\101\\t|' }}{{ 'a' 'b' }}{{ 'back\\\\slash\\zz' }}", "éAA\t|abback\\slash\\zz")]
    [InlineData("{% set ns = namespace(a=1) %}{% set ns.self = ns %}{{ ns }}|{% set d = {'n': ns} %}{% set ns.d = d %}{{ d }}|{% set l = [ns] %}{% set ns.l = l %}{{ l }}", "<Namespace {'a': 1, 'self': <Namespace {...}>}>|{'n': <Namespace {'a': 1, 'self': <Namespace {...}>, 'd': {...}}>}|[<Namespace {'a': 1, 'self': <Namespace {...}>, 'd': {'n': <Namespace {...}>}, 'l': [...]}>]")]
    public void Render_Values_PrintedAsPythonStr(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));

    /// <summary>Arithmetic, comparison, membership, logic and <c>~</c>.</summary>
    [Theory]
    [InlineData("{{ n // 2 }} {{ n / 2 }} {{ n % 3 }} {{ -n // 2 }} {{ -n % 3 }} {{ n ** 2 }} {{ 2 ** 3 ** 2 }} {{ 2 ** -1 }} {{ f * 2 }} {{ f // 1 }} {{ -7.5 % 2 }} {{ true + 1 }}", "3 3.5 1 -4 2 49 64 0.5 5.0 2.0 0.5 2")]
    [InlineData("{{ 'ab' * 2 }} {{ [1] * 2 }} {{ 'a' + 'b' }} {{ [1] + [2] }} {{ 'a' ~ 1 ~ none ~ true ~ 1.5 }} {{ 1 + 2 * 3 - 4 }} {{ (1 + 2) * 3 }} {{ -n|abs }}", "abab [1, 1] ab [1, 2] a1NoneTrue1.5 3 9 7")]
    [InlineData("{{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ (1, 2) == [1, 2] }} {{ 'é' > 'z' }}", "True True True True True False False True")]
    [InlineData("{{ 'World' in s }} {{ 1 in l }} {{ 'b' in d }} {{ 'z' not in d }} {{ 'x' in msgs[1] }} {{ 1.0 in [1] }}", "True True True True False True")]
    [InlineData("{{ none or 'b' }} {{ 'a' and 'b' }} {{ 0 and 'b' }} {{ not none }} {{ 'x' if n > 5 else 'y' }} {{ 'x' if false }}|{{ not s is defined }} {{ s|length > 5 and 'long' }}", "b b 0 True x |False long")]
    public void Render_Operators_PythonSemanticsJinjaPrecedence(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));

    /// <summary><c>a.b</c> tries the attribute, then the key; <c>a[b]</c> the key, then the attribute; slices clamp like Python's.</summary>
    [Theory]
    [InlineData("{{ d.b }} {{ d['b'] }} {{ msgs[-1].role }} {{ msgs.0.role }} {{ l[-1] }} {{ s[0] }} {{ s[-1] }} {{ u8[-1] }} {{ d.c.x }}", "1 1 assistant system 2 H d \U0001f600 None")]
    [InlineData("{{ s[1:3] }} {{ s[::-1] }} {{ s[::2] }} {{ s[-3:] }} {{ l[1:] }} {{ l[:-1] }} {{ l[::-1] }} {{ l[5:] }} {{ l[-10:2] }} {{ l[3:1:-1] }} {{ u8[::-1] }}", "el dlroW olleH HloWrd rld [1, 2] [3, 1] [2, 1, 3] [] [3, 1] [2] \U0001f600 dlröw olléh")]
    [InlineData("{{ {'items': 'key'}.items is defined }} {{ {'items': 'key'}['items'] }} {{ {'k': 1}.get('k') }} {{ {'k': 1}.get('z', 'default') }} {{ {'k': 1}.get('z') }}", "True key 1 default None")]
    [InlineData("{{ d.keys()|list }} {{ d.values()|list }} {{ d.items()|list }} {{ l.index(1) }} {{ l.count(3) }}", "['b', 'a', 'c'] [1, [1, 2], {'x': None}] [('b', 1), ('a', [1, 2]), ('c', {'x': None})] 1 1")]
    public void Render_Access_AttributeItemAndSlice(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));

    /// <summary>The <c>str</c> methods templates call.</summary>
    [Theory]
    [InlineData("{{ s.split() }} {{ s.split('o') }} {{ s.split('o', 1) }} {{ s.rsplit('o', 1) }} {{ '  a  b  '.split() }} {{ 'a b  c'.split(None, 1) }} {{ 'a\\nb\\r\\nc'.splitlines() }}", "['Hello', 'World'] ['Hell', ' W', 'rld'] ['Hell', ' World'] ['Hello W', 'rld'] ['a', 'b'] ['a', 'b  c'] ['a', 'b', 'c']")]
    [InlineData("{{ s.strip('Hd') }}|{{ '  x  '.lstrip() }}|{{ '  x  '.rstrip() }}|{{ s.startswith('Hell') }} {{ s.endswith(('x', 'ld')) }} {{ s.find('o') }} {{ s.rfind('o') }} {{ s.count('l') }}", "ello Worl|x  |  x|True True 4 7 3")]
    [InlineData("{{ s.upper() }} {{ s.lower() }} {{ \"they're bill's\".title() }} {{ 'abc'.capitalize() }} {{ s.replace('l', 'L', 2) }} {{ '-'.join(['a', 'b']) }} {{ 'x-y'.removeprefix('x-') }}", "HELLO WORLD hello world They'Re Bill'S Abc HeLLo World a-b y")]
    [InlineData("{{ '{} + {} = {}'.format(1, 2, 3) }} {{ '{0}{1}{0}'.format('a', 'b') }} {{ '{x}-{y}'.format(x=1, y='z') }} {{ '{{literal}} {}'.format(5) }} {{ '{!r}'.format('q') }}", "1 + 2 = 3 aba 1-z {literal} 5 'q'")]
    [InlineData("{{ 'Hi'.isupper() }} {{ 'HI'.isupper() }} {{ '123'.isdigit() }} {{ ''.isdigit() }} {{ 'a1'.isalnum() }} {{ ' \\t'.isspace() }}", "False True True False True True")]
    public void Render_StringMethods_AsPython(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));

    /// <summary><c>is</c> tests: Python's types decide them (a bool is a number, not an integer; strings and dicts are iterable).</summary>
    [Theory]
    [InlineData("{{ s is string }} {{ n is number }} {{ true is number }} {{ n is integer }} {{ true is integer }} {{ f is float }} {{ l is sequence }} {{ d is mapping }} {{ s is iterable }} {{ n is iterable }}", "True True True True False True True True True False")]
    [InlineData("{{ none is none }} {{ missing is none }} {{ n is odd }} {{ n is even }} {{ 9 is divisibleby 3 }} {{ 2 is in l }} {{ 'abc' is lower }} {{ true is boolean }} {{ true is true }} {{ none is false }}", "True False True False True True True True True False")]
    [InlineData("{{ n is eq 7 }} {{ n is equalto 7 }} {{ n is ne 7 }} {{ n is lt 8 }} {{ n is ge(7) }} {{ n is not sameas 7 }} {{ 'trim' is filter }} {{ 'defined' is test }} {{ d.get is callable }}", "True True False True True False True True True")]
    public void Render_Tests_AsJinja(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));

    /// <summary>range, namespace, dict and transformers' strftime_now (reading the clock, here 14 March 2025 09:30).</summary>
    [Theory]
    [InlineData("{{ range(3)|list }} {{ range(1, 4)|list }} {{ range(10, 0, -3)|list }} {{ dict(a=1, b=[2]) }} {{ dict([('k', 'v')]) }} {{ namespace(a=1).a }}", "[0, 1, 2] [1, 2, 3] [10, 7, 4, 1] {'a': 1, 'b': [2]} {'k': 'v'} 1")]
    [InlineData("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S') }}|{{ strftime_now('%A %B %-d %I%p %j %y') }}", "14 Mar 2025|2025-03-14 09:30:00|Friday March 14 09AM 073 25")]
    public void Render_GlobalFunctions_AsTransformersEnvironment(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));
}
