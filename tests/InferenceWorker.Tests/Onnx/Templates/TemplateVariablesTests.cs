using AiPlatform.InferenceWorker.Engines.Onnx.Templates;
using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// What a template sees of a request, shaped as transformers behind an OpenAI-compatible server (vLLM) passes it:
/// messages as dicts whose optional keys exist only when given, tool call arguments parsed from their JSON text,
/// <c>tools</c> and <c>documents</c> None (defined) when absent, each special token a variable.
/// </summary>
public sealed class TemplateVariablesTests
{
    private const string Describe =
        "{% for m in messages %}{{ m.role }}|{{ m.content }}|{{ m.name is defined }}|{{ m.tool_calls is defined }}|{{ m.tool_call_id is defined }};{% endfor %}";

    [Fact]
    public void Render_MessageDicts_OptionalKeysOnlyWhenGivenNullContentIsNone()
    {
        ChatTemplateMessage[] messages =
        [
            new("user", "Hi") { Name = "bob" },
            new("assistant", null) { ToolCalls = [new("call12345", "function", new("f", "{}"))] },
            new("tool", "42") { ToolCallId = "call12345" },
            new("assistant", "Done") { ToolCalls = [] },
        ];

        var rendered = Render(Describe, messages, addGenerationPrompt: false);

        // An empty tool_calls list is dropped, as vLLM drops it, so templates take their plain-assistant path.
        Assert.Equal("user|Hi|True|False|False;assistant|None|False|True|False;tool|42|False|False|True;assistant|Done|False|False|False;", rendered);
    }

    [Fact]
    public void Render_ToolCallArguments_ParsedFromJsonKeepingOrderAndNumberKinds()
    {
        ChatTemplateMessage[] messages =
        [
            new("assistant", null)
            {
                ToolCalls =
                [
                    new("call12345", "function", new("get_weather", """{"city": "Paris", "days": 3, "ratio": 1.0, "metric": true}""")),
                    new("call67890", "function", new("get_time", "")),
                ],
            },
        ];

        var rendered = Render(
            "{% for call in messages[0].tool_calls %}{{ call.id }} {{ call.type }} {{ call.function.name }} {{ call.function.arguments|tojson }};{% endfor %}" +
            "{{ messages[0].tool_calls[0].function.arguments.city }}",
            messages,
            addGenerationPrompt: false);

        Assert.Equal(
            "call12345 function get_weather {\"city\": \"Paris\", \"days\": 3, \"ratio\": 1.0, \"metric\": true};call67890 function get_time {};Paris",
            rendered);
    }

    [Fact]
    public void Render_NoTools_ToolsAndDocumentsDefinedAsNone()
    {
        var rendered = Render("{{ tools is defined }} {{ tools is none }} {{ documents is defined }} {{ documents is none }}", ConversationWithoutSystem, addGenerationPrompt: false);

        Assert.Equal("True True True True", rendered);
    }

    [Fact]
    public void Render_Tools_JsonArrayAsPythonValues()
    {
        var rendered = Render(
            "{{ tools|length }} {{ tools[0].function.name }} {{ tools[0] }}",
            ConversationWithoutSystem,
            addGenerationPrompt: false,
            toolsJson: """[{"type": "function", "function": {"name": "f", "strict": false, "n": 2, "x": 2.50, "e": 1e3, "none": null}}]""");

        Assert.Equal("1 f {'type': 'function', 'function': {'name': 'f', 'strict': False, 'n': 2, 'x': 2.5, 'e': 1000.0, 'none': None}}", rendered);
    }

    [Theory]
    [InlineData(false, "False")]
    [InlineData(true, "True")]
    public void Render_SpecialTokensAndGenerationFlag_AreVariables(bool addGenerationPrompt, string flag)
    {
        var tokens = new Dictionary<string, string> { ["bos_token"] = "<s>", ["eos_token"] = "</s>", ["pad_token"] = "<pad>" };

        var rendered = Render("{{ bos_token }}{{ eos_token }}{{ pad_token }}{{ unk_token is defined }}{{ add_generation_prompt }}", ConversationWithoutSystem, addGenerationPrompt, tokens);

        Assert.Equal("<s></s><pad>False" + flag, rendered);
    }
}
