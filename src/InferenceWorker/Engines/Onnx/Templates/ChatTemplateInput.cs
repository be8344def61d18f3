using System.Text.Json;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates;

/// <summary>What a chat template renders: the variables transformers' <c>apply_chat_template</c> passes.</summary>
internal sealed class ChatTemplateInput
{
    /// <summary><c>messages</c>, in order.</summary>
    public required IReadOnlyList<ChatTemplateMessage> Messages { get; init; }

    /// <summary><c>add_generation_prompt</c>: end the prompt with the assistant's turn header, for the model to continue.</summary>
    public bool AddGenerationPrompt { get; init; }

    /// <summary>
    /// The tokenizer's special tokens by their variable name (<c>bos_token</c>, <c>eos_token</c>, <c>unk_token</c>,
    /// <c>pad_token</c>, …), each a template variable as in transformers.
    /// </summary>
    public IReadOnlyDictionary<string, string> SpecialTokens { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>tools</c>: the request's tool definitions (a JSON array), or <see langword="null"/> when the request has none,
    /// which transformers passes as <c>None</c> (defined, but <c>is none</c>).
    /// </summary>
    public JsonElement? Tools { get; init; }

    /// <summary>The clock <c>strftime_now</c> reads, in its local time zone, as <c>datetime.now()</c> does.</summary>
    public required TimeProvider TimeProvider { get; init; }
}

/// <summary>
/// One chat message as a template sees it: a dict with <c>role</c> and <c>content</c> (None when null), plus
/// <c>name</c>, <c>tool_calls</c> and <c>tool_call_id</c> only when given (so <c>message.name is defined</c> tells).
/// </summary>
internal sealed record ChatTemplateMessage(string Role, string? Content)
{
    public string? Name { get; init; }

    /// <summary>An assistant's tool calls; an empty list counts as none, as vLLM drops it.</summary>
    public IReadOnlyList<ChatTemplateToolCall>? ToolCalls { get; init; }

    /// <summary>For a <c>tool</c> message: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }
}

/// <summary>An OpenAI tool call: <c>{id, type, function: {name, arguments}}</c>.</summary>
internal sealed record ChatTemplateToolCall(string Id, string Type, ChatTemplateFunctionCall Function);

/// <summary>
/// The function of a tool call. <see cref="Arguments"/> is the JSON text OpenAI clients send; the template receives
/// it parsed (an object), as vLLM hands it to transformers, because templates write <c>arguments | tojson</c> or
/// iterate <c>arguments | items</c> and a string would come out double-encoded.
/// </summary>
internal sealed record ChatTemplateFunctionCall(string Name, string Arguments);
