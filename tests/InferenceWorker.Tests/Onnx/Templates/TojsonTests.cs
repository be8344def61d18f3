using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// transformers' <c>tojson</c>: <c>json.dumps(x, ensure_ascii=False, indent=indent, separators=separators,
/// sort_keys=sort_keys)</c>. Tool schemas reach the model through it, so Python's spacing, key order, escaping and
/// number formatting must hold to the character.
/// Expected outputs are what Python's jinja2 3.1 renders, configured as transformers' apply_chat_template configures it
/// (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, transformers' tojson).
/// </summary>
public sealed class TojsonTests
{
    /// <summary>Separators, indentation, key order, escaping, numbers.</summary>
    [Theory]
    [InlineData("{{ d|tojson }}", "{\"b\": 1, \"a\": [1, 2], \"c\": {\"x\": null}}")]
    [InlineData("{{ msgs[2]|tojson }}", "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"call12345\", \"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}}]}")]
    [InlineData("{{ d|tojson(indent=2) }}", "{\n  \"b\": 1,\n  \"a\": [\n    1,\n    2\n  ],\n  \"c\": {\n    \"x\": null\n  }\n}")]
    [InlineData("{{ d|tojson(indent=4) }}", "{\n    \"b\": 1,\n    \"a\": [\n        1,\n        2\n    ],\n    \"c\": {\n        \"x\": null\n    }\n}")]
    [InlineData("{{ [1, [2, {}], []]|tojson(indent='\\t') }}", "[\n\t1,\n\t[\n\t\t2,\n\t\t{}\n\t],\n\t[]\n]")]
    [InlineData("{{ d|tojson(indent=0) }}", "{\n\"b\": 1,\n\"a\": [\n1,\n2\n],\n\"c\": {\n\"x\": null\n}\n}")]
    [InlineData("{{ l|tojson(separators=(',', ':')) }}", "[3,1,2]")]
    [InlineData("{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }}", "{\"a\": 2, \"b\": 1}")]
    [InlineData("{{ u8|tojson }}", "\"héllo wörld \U0001f600\"")]
    [InlineData("{{ u8|tojson(ensure_ascii=true) }}", "\"h\\u00e9llo w\\u00f6rld \\ud83d\\ude00\"")]
    [InlineData("{{ 'quote \" backslash \\\\ newline \\n tab \\t bell \\x07 del \\x7f'|tojson }}", "\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 del \u007f\"")]
    [InlineData("{{ [1, 1.0, 2.5, 1e16, 1e-05, -0.0, 100000000000000000000.0, true, false, none]|tojson }}", "[1, 1.0, 2.5, 1e+16, 1e-05, -0.0, 1e+20, true, false, null]")]
    [InlineData("{{ (1, 'a')|tojson }}", "[1, \"a\"]")]
    [InlineData("{{ {1: 'int key', 2.5: 'float key', true: 'bool key'}|tojson }}", "{\"1\": \"bool key\", \"2.5\": \"float key\"}")]
    [InlineData("{{ 'x'|tojson(4) }}", "\"x\"")]
    public void Render_Tojson_PythonJsonDumps(string template, string expected) => Assert.Equal(expected, Jinja(template, SampleVariables));
}
