using AiPlatform.InferenceWorker.Engines.Onnx.Templates;
using static AiPlatform.InferenceWorker.Tests.Onnx.Templates.TemplateTesting;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates.Models;

/// <summary>
/// Mistral 7B Instruct v0.3: [INST] turns, the system message folded into the last user turn, strict user/assistant
/// alternation enforced with raise_exception, 9-character tool call ids. add_generation_prompt changes nothing: the
/// prompt already ends with [/INST]. Expected prompts traced by hand from the template, matching the [INST] format of
/// Mistral's model card, and checked against Python jinja2 configured as transformers configures it.
/// </summary>
public sealed class Mistral7BV03TemplateTests
{
    private static readonly Dictionary<string, string> s_tokens = new() { ["bos_token"] = "<s>", ["eos_token"] = "</s>" };

    /// <summary>`chat_template` of mistralai/Mistral-7B-Instruct-v0.3's tokenizer_config.json, verbatim.</summary>
    private const string Template = """
        {%- if messages[0]["role"] == "system" %}
            {%- set system_message = messages[0]["content"] %}
            {%- set loop_messages = messages[1:] %}
        {%- else %}
            {%- set loop_messages = messages %}
        {%- endif %}
        {%- if not tools is defined %}
            {%- set tools = none %}
        {%- endif %}
        {%- set user_messages = loop_messages | selectattr("role", "equalto", "user") | list %}

        {#- This block checks for alternating user/assistant messages, skipping tool calling messages #}
        {%- set ns = namespace() %}
        {%- set ns.index = 0 %}
        {%- for message in loop_messages %}
            {%- if not (message.role == "tool" or message.role == "tool_results" or (message.tool_calls is defined and message.tool_calls is not none)) %}
                {%- if (message["role"] == "user") != (ns.index % 2 == 0) %}
                    {{- raise_exception("After the optional system message, conversation roles must alternate user/assistant/user/assistant/...") }}
                {%- endif %}
                {%- set ns.index = ns.index + 1 %}
            {%- endif %}
        {%- endfor %}

        {{- bos_token }}
        {%- for message in loop_messages %}
            {%- if message["role"] == "user" %}
                {%- if tools is not none and (message == user_messages[-1]) %}
                    {{- "[AVAILABLE_TOOLS] [" }}
                    {%- for tool in tools %}
                        {%- set tool = tool.function %}
                        {{- '{"type": "function", "function": {' }}
                        {%- for key, val in tool.items() if key != "return" %}
                            {%- if val is string %}
                                {{- '"' + key + '": "' + val + '"' }}
                            {%- else %}
                                {{- '"' + key + '": ' + val|tojson }}
                            {%- endif %}
                            {%- if not loop.last %}
                                {{- ", " }}
                            {%- endif %}
                        {%- endfor %}
                        {{- "}}" }}
                        {%- if not loop.last %}
                            {{- ", " }}
                        {%- else %}
                            {{- "]" }}
                        {%- endif %}
                    {%- endfor %}
                    {{- "[/AVAILABLE_TOOLS]" }}
                    {%- endif %}
                {%- if loop.last and system_message is defined %}
                    {{- "[INST] " + system_message + "\n\n" + message["content"] + "[/INST]" }}
                {%- else %}
                    {{- "[INST] " + message["content"] + "[/INST]" }}
                {%- endif %}
            {%- elif message.tool_calls is defined and message.tool_calls is not none %}
                {{- "[TOOL_CALLS] [" }}
                {%- for tool_call in message.tool_calls %}
                    {%- set out = tool_call.function|tojson %}
                    {{- out[:-1] }}
                    {%- if not tool_call.id is defined or tool_call.id|length != 9 %}
                        {{- raise_exception("Tool call IDs should be alphanumeric strings with length 9!") }}
                    {%- endif %}
                    {{- ', "id": "' + tool_call.id + '"}' }}
                    {%- if not loop.last %}
                        {{- ", " }}
                    {%- else %}
                        {{- "]" + eos_token }}
                    {%- endif %}
                {%- endfor %}
            {%- elif message["role"] == "assistant" %}
                {{- " " + message["content"]|trim + eos_token}}
            {%- elif message["role"] == "tool_results" or message["role"] == "tool" %}
                {%- if message.content is defined and message.content.content is defined %}
                    {%- set content = message.content.content %}
                {%- else %}
                    {%- set content = message.content %}
                {%- endif %}
                {{- '[TOOL_RESULTS] {"content": ' + content|string + ", " }}
                {%- if not message.tool_call_id is defined or message.tool_call_id|length != 9 %}
                    {{- raise_exception("Tool call IDs should be alphanumeric strings with length 9!") }}
                {%- endif %}
                {{- '"call_id": "' + message.tool_call_id + '"}[/TOOL_RESULTS]' }}
            {%- else %}
                {{- raise_exception("Only user and assistant roles are supported, with the exception of an initial optional system message!") }}
            {%- endif %}
        {%- endfor %}
        """ + "\n";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Render_SystemUserAssistantUser_SystemFoldedIntoLastUserTurn(bool addGenerationPrompt)
    {
        var prompt = Render(Template, Conversation, addGenerationPrompt, s_tokens);

        Assert.Equal(
            "<s>[INST] Hello![/INST] Hi! How can I help you today?</s>" +
            "[INST] You are a helpful assistant.\n\nWhat is the capital of France?[/INST]",
            prompt);
    }

    [Fact]
    public void Render_AssistantContentWithSpaces_TrimmedAfterOneSpace()
    {
        ChatTemplateMessage[] messages = [new("user", "Hi"), new("assistant", "  Hello  "), new("user", "Bye")];

        Assert.Equal("<s>[INST] Hi[/INST] Hello</s>[INST] Bye[/INST]", Render(Template, messages, addGenerationPrompt: true, s_tokens));
    }

    [Fact]
    public void Render_TwoUserTurnsInARow_RaisesTheTemplatesMessage()
    {
        ChatTemplateMessage[] messages = [new("system", "Be brief."), new("user", "a"), new("user", "b")];

        var error = Assert.Throws<ChatTemplateException>(() => Render(Template, messages, addGenerationPrompt: true, s_tokens));

        Assert.Equal("After the optional system message, conversation roles must alternate user/assistant/user/assistant/...", error.Message);
    }

    [Fact]
    public void Render_ToolsCallAndResult_AvailableToolsBeforeLastUserTurn()
    {
        var prompt = Render(Template, ToolConversation.Messages, addGenerationPrompt: true, s_tokens, ToolConversation.ToolsJson);

        // The system message is folded only into a user turn that is the conversation's last, so here it is dropped.
        Assert.Equal(
            "<s>[AVAILABLE_TOOLS] [{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", " +
            "\"description\": \"Get the current weather in a city.\", \"parameters\": {\"type\": \"object\", " +
            "\"properties\": {\"city\": {\"type\": \"string\", \"description\": \"City name, e.g. Paris\"}}, " +
            "\"required\": [\"city\"]}}}][/AVAILABLE_TOOLS]" +
            "[INST] What's the weather in Paris?[/INST]" +
            "[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, \"id\": \"call12345\"}]</s>" +
            "[TOOL_RESULTS] {\"content\": {\"temperature\": 21}, \"call_id\": \"call12345\"}[/TOOL_RESULTS]",
            prompt);
    }

    [Fact]
    public void Render_ToolCallIdNotNineCharacters_RaisesTheTemplatesMessage()
    {
        ChatTemplateMessage[] messages =
        [
            new("user", "Weather?"),
            new("assistant", null) { ToolCalls = [new("call_1", "function", new("get_weather", "{}"))] },
        ];

        var error = Assert.Throws<ChatTemplateException>(() => Render(Template, messages, addGenerationPrompt: true, s_tokens));

        Assert.Equal("Tool call IDs should be alphanumeric strings with length 9!", error.Message);
    }
}
