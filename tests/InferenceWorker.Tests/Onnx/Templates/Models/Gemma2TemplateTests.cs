using AiPlatform.InferenceWorker.Engines.Onnx.Templates;
using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates.Models;

/// <summary>
/// Gemma 2 instruction-tuned (2B, 9B, 27B): &lt;start_of_turn&gt; turns, the assistant called "model", content trimmed,
/// no system role (refused with raise_exception), strict alternation. Expected prompts traced by hand from the
/// template, matching the format of the model card ("&lt;bos&gt;&lt;start_of_turn&gt;user\n…&lt;end_of_turn&gt;\n
/// &lt;start_of_turn&gt;model\n"), and checked against Python jinja2 configured as transformers configures it.
/// </summary>
public sealed class Gemma2TemplateTests
{
    private static readonly Dictionary<string, string> s_tokens = new() { ["bos_token"] = "<bos>", ["eos_token"] = "<eos>" };

    /// <summary>
    /// `chat_template` of google/gemma-2-2b-it's tokenizer_config.json, verbatim (its "\n" JSON escapes are real
    /// newlines inside the Jinja string literals).
    /// </summary>
    private const string Template = """
        {{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '
        ' + message['content'] | trim + '<end_of_turn>
        ' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model
        '}}{% endif %}
        """;

    [Fact]
    public void Render_SystemMessage_RaisesSystemRoleNotSupported()
    {
        var error = Assert.Throws<ChatTemplateException>(() => Render(Template, Conversation, addGenerationPrompt: true, s_tokens));

        Assert.Equal("System role not supported", error.Message);
    }

    [Fact]
    public void Render_UserAssistantUser_ModelTurns()
    {
        var prompt = Render(Template, ConversationWithoutSystem, addGenerationPrompt: false, s_tokens);

        Assert.Equal(
            "<bos><start_of_turn>user\nHello!<end_of_turn>\n" +
            "<start_of_turn>model\nHi! How can I help you today?<end_of_turn>\n" +
            "<start_of_turn>user\nWhat is the capital of France?<end_of_turn>\n",
            prompt);
    }

    [Fact]
    public void Render_AddGenerationPromptAndPaddedContent_OpenModelTurnContentTrimmed()
    {
        ChatTemplateMessage[] messages = [new("user", "  Hello!\n"), new("assistant", "\tHi!  "), new("user", " Bye ")];

        var prompt = Render(Template, messages, addGenerationPrompt: true, s_tokens);

        Assert.Equal(
            "<bos><start_of_turn>user\nHello!<end_of_turn>\n" +
            "<start_of_turn>model\nHi!<end_of_turn>\n" +
            "<start_of_turn>user\nBye<end_of_turn>\n" +
            "<start_of_turn>model\n",
            prompt);
    }

    [Fact]
    public void Render_AssistantFirst_RaisesAlternationMessage()
    {
        ChatTemplateMessage[] messages = [new("assistant", "Hi"), new("user", "Hello")];

        var error = Assert.Throws<ChatTemplateException>(() => Render(Template, messages, addGenerationPrompt: true, s_tokens));

        Assert.Equal("Conversation roles must alternate user/assistant/user/assistant/...", error.Message);
    }
}
