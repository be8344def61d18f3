using AiPlatform.InferenceWorker.Engines.Onnx.Templates;
using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates.Models;

/// <summary>
/// Zephyr's format, which TinyLlama-1.1B-Chat-v1.0 adopted: &lt;|role|&gt;, a newline, the content and the eos token,
/// each turn on its own line. The template is written across lines and relies on trim_blocks. Expected prompts traced
/// by hand from the template; the pirate conversation is the example of transformers' chat templating documentation
/// and of TinyLlama's model card, whose printed prompt this matches.
/// </summary>
public sealed class ZephyrTemplateTests
{
    private static readonly Dictionary<string, string> s_tokens = new() { ["bos_token"] = "<s>", ["eos_token"] = "</s>" };

    /// <summary>
    /// `chat_template` of HuggingFaceH4/zephyr-7b-beta's tokenizer_config.json, verbatim (its "\n" JSON escapes are
    /// real newlines); TinyLlama's differs only by one space inside an expression.
    /// </summary>
    private const string Template = """
        {% for message in messages %}
        {% if message['role'] == 'user' %}
        {{ '<|user|>
        ' + message['content'] + eos_token }}
        {% elif message['role'] == 'system' %}
        {{ '<|system|>
        ' + message['content'] + eos_token }}
        {% elif message['role'] == 'assistant' %}
        {{ '<|assistant|>
        '  + message['content'] + eos_token }}
        {% endif %}
        {% if loop.last and add_generation_prompt %}
        {{ '<|assistant|>' }}
        {% endif %}
        {% endfor %}
        """;

    [Fact]
    public void Render_DocumentationPirateExample_MatchesPrintedPrompt()
    {
        ChatTemplateMessage[] messages =
        [
            new("system", "You are a friendly chatbot who always responds in the style of a pirate"),
            new("user", "How many helicopters can a human eat in one sitting?"),
        ];

        var prompt = Render(Template, messages, addGenerationPrompt: true, s_tokens);

        Assert.Equal(
            "<|system|>\nYou are a friendly chatbot who always responds in the style of a pirate</s>\n" +
            "<|user|>\nHow many helicopters can a human eat in one sitting?</s>\n" +
            "<|assistant|>\n",
            prompt);
    }

    [Theory]
    [InlineData(false, "")]
    [InlineData(true, "<|assistant|>\n")]
    public void Render_SystemUserAssistantUser_OneLinePerTurn(bool addGenerationPrompt, string end)
    {
        var prompt = Render(Template, Conversation, addGenerationPrompt, s_tokens);

        Assert.Equal(
            "<|system|>\nYou are a helpful assistant.</s>\n" +
            "<|user|>\nHello!</s>\n" +
            "<|assistant|>\nHi! How can I help you today?</s>\n" +
            "<|user|>\nWhat is the capital of France?</s>\n" + end,
            prompt);
    }
}
