using System.Text;
using System.Text.Json;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;
using Microsoft.Extensions.Time.Testing;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>Renders chat templates in tests: whole conversations through <see cref="ChatTemplate"/>, or bare Jinja with variables given as JSON.</summary>
internal static class TemplateTesting
{
    /// <summary>Values of every kind the interpreter tests render: strings (one with non-ASCII), numbers, a list, a nested dict, messages with a tool call.</summary>
    public const string SampleVariables = """
        {
            "s": "Hello World",
            "n": 7,
            "f": 2.5,
            "l": [3, 1, 2],
            "d": {"b": 1, "a": [1, 2], "c": {"x": null}},
            "u8": "héllo wörld 😀",
            "msgs": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi", "name": "bob"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "call12345", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]}]
        }
        """;

    /// <summary>The clock tests render with: 14 March 2025, 09:30, in the fake clock's local zone (UTC).</summary>
    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero));

    /// <summary>system, user, assistant, user: the conversation every model test renders.</summary>
    public static readonly ChatTemplateMessage[] Conversation =
    [
        new("system", "You are a helpful assistant."),
        new("user", "Hello!"),
        new("assistant", "Hi! How can I help you today?"),
        new("user", "What is the capital of France?"),
    ];

    public static ChatTemplateMessage[] ConversationWithoutSystem => Conversation[1..];

    public static string Render(
        string template,
        IReadOnlyList<ChatTemplateMessage> messages,
        bool addGenerationPrompt,
        IReadOnlyDictionary<string, string>? specialTokens = null,
        string? toolsJson = null)
    {
        using var tools = toolsJson is null ? null : JsonDocument.Parse(toolsJson);
        return ChatTemplate.Parse(template).Render(new ChatTemplateInput
        {
            Messages = messages,
            AddGenerationPrompt = addGenerationPrompt,
            SpecialTokens = specialTokens ?? new Dictionary<string, string>(),
            Tools = tools?.RootElement,
            TimeProvider = Clock(),
        });
    }

    /// <summary>Renders a Jinja snippet with the variables of a JSON object, read as Python's json.loads reads them.</summary>
    public static string Jinja(string source, string variablesJson = "{}")
    {
        var root = new Scope(parent: null);
        using var variables = JsonDocument.Parse(variablesJson);
        foreach (var variable in variables.RootElement.EnumerateObject())
        {
            root.Set(variable.Name, PyJson.FromJson(variable.Value));
        }

        var output = new StringBuilder();
        TemplateParser.Parse(source).Render(new RenderContext(Clock()), root, output);
        return output.ToString();
    }
}
