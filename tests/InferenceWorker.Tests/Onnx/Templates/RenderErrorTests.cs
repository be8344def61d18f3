using AiPlatform.InferenceWorker.Engines.Onnx.Templates;
using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>
/// A conversation the template refuses: its own <c>raise_exception</c> (the message is the template's, for the client's
/// 400), or an error the conversation provokes, given with the template position (messages as Jinja words them).
/// </summary>
public sealed class RenderErrorTests
{
    [Theory]
    [InlineData("{{ raise_exception('Only user and assistant roles are supported!') }}", "Only user and assistant roles are supported!")]
    [InlineData("{% if true %}{{- raise_exception(\"Roles must alternate\") }}{% endif %}", "Roles must alternate")]
    [InlineData("{{ raise_exception(42) }}", "42")]
    public void Render_RaiseException_MessageIsTheTemplatesOwn(string template, string message)
    {
        var error = Assert.Throws<ChatTemplateException>(() => Jinja(template));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("{{ 'a' + 1 }}", "can only concatenate str (not \"int\") to str (chat template line 1, column 8)")]
    [InlineData("{{ missing.attr }}", "'missing' is undefined (chat template line 1, column 12)")]
    [InlineData("\n  {{ message.content.strip() }}", "'None' has no attribute 'strip' (chat template line 2, column 27)")]
    [InlineData("{{ message.tool_calls[0] }}", "'dict object' has no attribute 'tool_calls' (chat template line 1, column 22)")]
    [InlineData("{% for x in 5 %}{% endfor %}", "'int' object is not iterable (chat template line 1, column 1)")]
    [InlineData("{% for a, b in [[1, 2, 3]] %}{% endfor %}", "too many values to unpack (expected 2) (chat template line 1, column 8)")]
    [InlineData("{% set message.role = 'x' %}", "cannot assign attribute on non-namespace object (chat template line 1, column 8)")]
    [InlineData("{{ message|tojson(indent=missing) }}", "'missing' is undefined (chat template line 1, column 12)")]
    [InlineData("{{ range(1000000)|length }}", "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000). (chat template line 1, column 9)")]
    [InlineData("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}", "macro 'm' takes not more than 1 argument(s) (chat template line 1, column 35)")]
    public void Render_ErrorProvokedByConversation_JinjasMessageWithPosition(string template, string message)
    {
        var error = Assert.Throws<ChatTemplateException>(() => Jinja(template, """{"message": {"role": "user", "content": null}}"""));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Render_MacroRecursingWithoutEnd_StopsAtDepthLimitInsteadOfOverflowingTheStack()
    {
        var error = Assert.Throws<ChatTemplateException>(() => Jinja("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}"));

        Assert.StartsWith("maximum recursion depth exceeded calling macro 'm'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ToolCallArgumentsNotJson_RefusedNamingTheFunction()
    {
        ChatTemplateMessage[] messages =
        [
            new("user", "Weather?"),
            new("assistant", null) { ToolCalls = [new("call12345", "function", new("get_weather", "{city: Paris"))] },
        ];

        var error = Assert.Throws<ChatTemplateException>(() => Render("{{ messages|length }}", messages, addGenerationPrompt: false));

        Assert.StartsWith("The arguments of the tool call to 'get_weather' are not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
