using System.Text.Json;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates;

/// <summary>
/// Turns a <see cref="ChatTemplateInput"/> into the variables a render starts with, shaped as transformers (behind an
/// OpenAI-compatible server such as vLLM) would pass them: messages as dicts, tool call arguments parsed from JSON,
/// <c>tools</c> and <c>documents</c> None when absent, each special token a variable.
/// </summary>
internal static class TemplateVariables
{
    public static Scope CreateRoot(ChatTemplateInput input)
    {
        var root = new Scope(parent: null);
        foreach (var (name, token) in input.SpecialTokens)
        {
            root.Set(name, token);
        }

        var messages = new List<object?>(input.Messages.Count);
        foreach (var message in input.Messages)
        {
            messages.Add(ToDict(message));
        }

        root.Set("messages", messages);
        root.Set("add_generation_prompt", input.AddGenerationPrompt);
        root.Set("tools", input.Tools is { } tools ? PyJson.FromJson(tools) : null);
        root.Set("documents", null);
        return root;
    }

    private static PyDict ToDict(ChatTemplateMessage message)
    {
        var dict = new PyDict(5);
        dict.Put("role", message.Role);
        dict.Put("content", message.Content);
        if (message.Name is not null)
        {
            dict.Put("name", message.Name);
        }

        if (message.ToolCalls is { Count: > 0 } calls)
        {
            dict.Put("tool_calls", calls.Select(ToDict).Cast<object?>().ToList());
        }

        if (message.ToolCallId is not null)
        {
            dict.Put("tool_call_id", message.ToolCallId);
        }

        return dict;
    }

    private static PyDict ToDict(ChatTemplateToolCall call)
    {
        var function = new PyDict(2);
        function.Put("name", call.Function.Name);
        function.Put("arguments", ParseArguments(call.Function));
        var dict = new PyDict(3);
        dict.Put("id", call.Id);
        dict.Put("type", call.Type);
        dict.Put("function", function);
        return dict;
    }

    /// <summary>vLLM's rule: empty arguments become <c>{}</c>, anything else must be JSON.</summary>
    private static object? ParseArguments(ChatTemplateFunctionCall function)
    {
        if (string.IsNullOrEmpty(function.Arguments))
        {
            return new PyDict();
        }

        try
        {
            using var document = JsonDocument.Parse(function.Arguments);
            return PyJson.FromJson(document.RootElement);
        }
        catch (JsonException error)
        {
            throw new ChatTemplateException($"The arguments of the tool call to '{function.Name}' are not valid JSON: {error.Message}");
        }
    }
}
