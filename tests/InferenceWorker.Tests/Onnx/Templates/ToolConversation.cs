using AiPlatform.InferenceWorker.Engines.Onnx.Templates;

namespace AiPlatform.InferenceWorker.Tests.Onnx.Templates;

/// <summary>An OpenAI-style tool round trip: the assistant calls get_weather, the tool answers, as a client sends it.</summary>
internal static class ToolConversation
{
    public const string ToolsJson = """
        [{"type": "function", "function": {"name": "get_weather", "description": "Get the current weather in a city.",
          "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name, e.g. Paris"}},
          "required": ["city"]}}}]
        """;

    /// <summary>The call id has 9 characters, as Mistral's template demands.</summary>
    public static readonly ChatTemplateMessage[] Messages =
    [
        new("system", "You are a weather bot."),
        new("user", "What's the weather in Paris?"),
        new("assistant", null)
        {
            ToolCalls = [new ChatTemplateToolCall("call12345", "function", new ChatTemplateFunctionCall("get_weather", """{"city": "Paris"}"""))],
        },
        new("tool", """{"temperature": 21}""") { ToolCallId = "call12345" },
    ];
}
