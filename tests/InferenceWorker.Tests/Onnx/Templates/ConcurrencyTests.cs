using AiPlatform.InferenceWorker.Engines.Onnx.Templates;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>One parsed template serves every request of the worker at once: renders must not share state.</summary>
public sealed class ConcurrencyTests
{
    /// <summary>Exercises what holds render state: namespaces, loop scopes, macros, sets and filters.</summary>
    private const string Template = """
        {%- macro turn(role, content) -%}<|{{ role }}|>{{ content | trim }}<|end|>{%- endmacro -%}
        {%- set ns = namespace(users=0, last='') -%}
        {%- for message in messages -%}
            {%- set role = message.role -%}
            {%- if role == 'user' %}{% set ns.users = ns.users + 1 %}{% set ns.last = message.content %}{% endif -%}
            {{- turn(role, message.content) -}}
        {%- endfor -%}
        [{{ ns.users }} {{ ns.last | upper }} {{ messages | map(attribute='role') | unique | list | tojson }}]
        {%- if add_generation_prompt %}<|assistant|>{% endif -%}
        """;

    [Fact]
    public async Task Render_ConcurrentDifferentConversations_EachAsRenderedAlone()
    {
        var template = ChatTemplate.Parse(Template);
        var inputs = Enumerable.Range(0, 64).Select(Conversation).ToArray();
        var expected = inputs.Select(template.Render).ToArray();

        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var round = 0; round < 50; round++)
            {
                var i = ((worker * 7) + round) % inputs.Length;
                Assert.Equal(expected[i], template.Render(inputs[i]));
            }
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("<|system|>Be brief.<|end|><|user|>question 0 of 0<|end|>[1 QUESTION 0 OF 0 [\"system\", \"user\"]]", expected[0]);
    }

    private static ChatTemplateInput Conversation(int index)
    {
        var messages = new List<ChatTemplateMessage> { new("system", "Be brief.") };
        for (var turn = 0; turn <= index % 4; turn++)
        {
            messages.Add(new("user", $"question {turn} of {index}"));
            if (turn < index % 4)
            {
                messages.Add(new("assistant", $" answer {turn} "));
            }
        }

        return new ChatTemplateInput { Messages = messages, AddGenerationPrompt = index % 2 == 1, TimeProvider = TemplateTesting.Clock() };
    }
}
