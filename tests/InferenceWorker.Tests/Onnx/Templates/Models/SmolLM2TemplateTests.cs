using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates.Models;

/// <summary>
/// SmolLM2 Instruct: ChatML with a default system message naming SmolLM when the conversation has none. Expected
/// prompts traced by hand from the template and checked against Python jinja2 configured as transformers configures it.
/// </summary>
public sealed class SmolLM2TemplateTests
{
    /// <summary>
    /// `chat_template` of HuggingFaceTB/SmolLM2-1.7B-Instruct's tokenizer_config.json, verbatim (its "\n" JSON escapes
    /// are real newlines inside the Jinja string literals).
    /// </summary>
    private const string Template = """
        {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system
        You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
        ' }}{% endif %}{{'<|im_start|>' + message['role'] + '
        ' + message['content'] + '<|im_end|>' + '
        '}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant
        ' }}{% endif %}
        """;

    [Fact]
    public void Render_SystemUserAssistantUser_ChatMlTurns()
    {
        var prompt = Render(Template, Conversation, addGenerationPrompt: false);

        Assert.Equal(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n" +
            "<|im_start|>user\nHello!<|im_end|>\n" +
            "<|im_start|>assistant\nHi! How can I help you today?<|im_end|>\n" +
            "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n",
            prompt);
    }

    [Fact]
    public void Render_NoSystemMessageAndGenerationPrompt_SmolLMDefaultSystemMessage()
    {
        var prompt = Render(Template, ConversationWithoutSystem, addGenerationPrompt: true);

        Assert.Equal(
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n" +
            "<|im_start|>user\nHello!<|im_end|>\n" +
            "<|im_start|>assistant\nHi! How can I help you today?<|im_end|>\n" +
            "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n" +
            "<|im_start|>assistant\n",
            prompt);
    }
}
