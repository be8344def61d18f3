using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates.Models;

/// <summary>
/// Phi-3-mini-4k-instruct: &lt;|role|&gt; turns closed by &lt;|end|&gt;; without a generation prompt the template ends
/// with the eos token. Expected prompts traced by hand from the template, matching the chat format of the model card
/// ("&lt;|system|&gt;\nYou are a helpful assistant.&lt;|end|&gt;\n&lt;|user|&gt;\n…"), and checked against Python
/// jinja2 configured as transformers configures it.
/// </summary>
public sealed class Phi3MiniTemplateTests
{
    private static readonly Dictionary<string, string> s_tokens = new() { ["bos_token"] = "<s>", ["eos_token"] = "<|endoftext|>" };

    /// <summary>
    /// `chat_template` of microsoft/Phi-3-mini-4k-instruct's tokenizer_config.json, verbatim (its "\n" JSON escapes are
    /// real newlines inside the Jinja string literals).
    /// </summary>
    private const string Template = """
        {% for message in messages %}{% if message['role'] == 'system' %}{{'<|system|>
        ' + message['content'] + '<|end|>
        '}}{% elif message['role'] == 'user' %}{{'<|user|>
        ' + message['content'] + '<|end|>
        '}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>
        ' + message['content'] + '<|end|>
        '}}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>
        ' }}{% else %}{{ eos_token }}{% endif %}
        """;

    [Fact]
    public void Render_SystemUserAssistantUser_EndsWithEosToken()
    {
        var prompt = Render(Template, Conversation, addGenerationPrompt: false, s_tokens);

        Assert.Equal(
            "<|system|>\nYou are a helpful assistant.<|end|>\n" +
            "<|user|>\nHello!<|end|>\n" +
            "<|assistant|>\nHi! How can I help you today?<|end|>\n" +
            "<|user|>\nWhat is the capital of France?<|end|>\n" +
            "<|endoftext|>",
            prompt);
    }

    [Fact]
    public void Render_AddGenerationPrompt_EndsWithAssistantTag()
    {
        var prompt = Render(Template, Conversation, addGenerationPrompt: true, s_tokens);

        Assert.Equal(
            "<|system|>\nYou are a helpful assistant.<|end|>\n" +
            "<|user|>\nHello!<|end|>\n" +
            "<|assistant|>\nHi! How can I help you today?<|end|>\n" +
            "<|user|>\nWhat is the capital of France?<|end|>\n" +
            "<|assistant|>\n",
            prompt);
    }
}
