using System.ClientModel.Primitives;
using System.Buffers;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Responses;
using OpenAI.Responses;

namespace AiPlatform.Gateway.Tests.Responses;

/// <summary>
/// A Responses request to chat completions and the chat answer back, streamed or not, judged by what the official OpenAI
/// SDK reads from the result (the shape users' code depends on).
/// </summary>
public sealed class ResponsesTranslationTests
{
    [Fact]
    public void Request_InstructionsItemsToolsAndLimits_BecomeTheChatRequestThatAsksTheSame()
    {
        var chat = Translate("""
            {"model":"gpt-test","instructions":"Be brief.","max_output_tokens":50,"temperature":0.2,"top_p":0.9,"stream":true,
             "metadata":{"team":"a"},"store":true,"tool_choice":{"type":"function","name":"weather"},
             "tools":[{"type":"function","name":"weather","description":"d","parameters":{"type":"object"},"strict":true}],
             "input":[
               {"role":"developer","content":"Use tools."},
               {"type":"message","role":"user","content":[{"type":"input_text","text":"Rain in Oslo?"},{"type":"input_image","image_url":"https://x/y.png","detail":"low"}]},
               {"type":"function_call","call_id":"call_1","name":"weather","arguments":"{\"city\":\"Oslo\"}"},
               {"type":"function_call_output","call_id":"call_1","output":"rain"},
               {"type":"reasoning","id":"rs_1","summary":[]},
               {"role":"assistant","content":[{"type":"output_text","text":"It rains."}]}]}
            """);

        Assert.Equal("upstream-model", chat.GetProperty("model").GetString());
        Assert.Equal(50, chat.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.2, chat.GetProperty("temperature").GetDouble());
        Assert.True(chat.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.False(chat.TryGetProperty("metadata", out _));
        Assert.Equal("weather", chat.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        var tool = chat.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("""{"name":"weather","description":"d","parameters":{"type":"object"},"strict":true}""", tool.GetRawText());
        var messages = chat.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "system", "user", "assistant", "tool", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Be brief.", messages[0].GetProperty("content").GetString());
        Assert.Equal("""[{"type":"text","text":"Rain in Oslo?"},{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}}]""",
            messages[2].GetProperty("content").GetRawText());
        Assert.Equal("""[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]""",
            messages[3].GetProperty("tool_calls").GetRawText());
        Assert.Equal("call_1", messages[4].GetProperty("tool_call_id").GetString());
        Assert.Equal("rain", messages[4].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("""{"model":"m","input":"hi","previous_response_id":"resp_1"}""", "previous_response_id")]
    [InlineData("""{"model":"m","input":"hi","tools":[{"type":"web_search"}]}""", "tools[0].type")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}""", "input[0].content[0].type")]
    [InlineData("""{"model":"m","input":[{"type":"item_reference","id":"x"}]}""", "input[0].type")]
    [InlineData("""{"model":"m","input":"hi","background":true}""", "background")]
    [InlineData("""{"model":"m","input":"hi","frobnicate":1}""", "frobnicate")]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":[{"role":"robot","content":"x"}]}""", "input[0].role")]
    public void Request_WhatChatCompletionsCannotSay_400NamingTheField(string body, string param)
    {
        Assert.False(ResponsesRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), "m", out _, out var error));

        Assert.Equal(400, error!.StatusCode);
        Assert.Equal(param, error.Param);
        Assert.Contains(param, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_ChatCompletion_ReadsAsAResponseInTheSdk()
    {
        using var request = JsonDocument.Parse("""{"model":"gpt-test","input":"hi","instructions":"Be brief.","metadata":{"team":"a"}}""");
        var answer = ChatAnswerTranslator.Translate("""
            {"id":"chatcmpl-abc","object":"chat.completion","created":1700000000,"model":"sim",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there."},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":8,"completion_tokens":3,"total_tokens":11}}
            """u8, request.RootElement)!;

        var response = ModelReaderWriter.Read<ResponseResult>(BinaryData.FromBytes(answer))!;

        Assert.Equal("resp_abc", response.Id);
        Assert.Equal("sim", response.Model);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal("Hello there.", response.GetOutputText());
        Assert.Equal(8, response.Usage.InputTokenCount);
        Assert.Equal(3, response.Usage.OutputTokenCount);
        Assert.Equal("a", response.Metadata["team"]);
    }

    [Fact]
    public void Answer_ToolCallsCutAtTheLimit_FunctionCallItemsAndIncomplete()
    {
        using var request = JsonDocument.Parse("""{"model":"m","input":"hi"}""");
        var answer = ChatAnswerTranslator.Translate("""
            {"id":"chatcmpl-t","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,
             "tool_calls":[{"id":"call_9","type":"function","function":{"name":"weather","arguments":"{}"}}]},"finish_reason":"length"}]}
            """u8, request.RootElement)!;

        var response = ModelReaderWriter.Read<ResponseResult>(BinaryData.FromBytes(answer))!;

        Assert.Equal(ResponseStatus.Incomplete, response.Status);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single((IEnumerable<ResponseItem>)response.OutputItems));
        Assert.Equal("call_9", call.CallId);
        Assert.Equal("weather", call.FunctionName);
    }

    [Fact]
    public void Stream_ChatChunks_BecomeTheResponsesEventsTheSdkReads()
    {
        using var request = JsonDocument.Parse("""{"model":"m","input":"hi","stream":true}""");
        var translator = new ChatStreamTranslator(request.RootElement);
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in new[]
        {
            """{"id":"chatcmpl-s","created":5,"model":"sim","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""",
            """{"id":"chatcmpl-s","created":5,"model":"sim","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}""",
            """{"id":"chatcmpl-s","created":5,"model":"sim","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}""",
            """{"id":"chatcmpl-s","created":5,"model":"sim","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}""",
        })
        {
            translator.OnChunk(Encoding.UTF8.GetBytes(chunk), output);
        }

        translator.Complete(output);

        var events = Encoding.UTF8.GetString(output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var updates = events.Select(e => ModelReaderWriter.Read<StreamingResponseUpdate>(BinaryData.FromString(e[(e.IndexOf("data: ", StringComparison.Ordinal) + 6)..]))!).ToList();
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.completed"], events.Select(e => e.Split('\n')[0]["event: ".Length..]));
        Assert.Equal(Enumerable.Range(0, events.Length), updates.Select(u => u.SequenceNumber));
        Assert.Equal("Hello", string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(u => u.Delta)));
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal("Hello", completed.Response.GetOutputText());
        Assert.Equal(6, completed.Response.Usage.TotalTokenCount);
        Assert.Equal("resp_s", completed.Response.Id);
    }

    private static JsonElement Translate(string body)
    {
        Assert.True(ResponsesRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), "upstream-model", out var chat, out var error), error?.Message);
        return JsonElement.Parse(chat);
    }
}
