using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Http;
using OpenAI.Responses;

namespace AiPlatform.Gateway.Tests.Responses;

#pragma warning disable OPENAI001 // The Responses client is marked experimental in the SDK; it is what current code calls.

/// <summary>
/// A target configured with <c>NativeResponses</c> (a provider that serves <c>/v1/responses</c> itself) gets the request as
/// the client sent it and its answer passes unchanged, streamed or not; when it refuses with a 429 the request falls back
/// to a model whose target speaks only chat completions, translated.
/// </summary>
public sealed class NativeResponsesTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string ProviderKey = "sk-native-provider-0123456789";

    internal const string NativeAnswer = """
        {"id":"resp_native1","object":"response","created_at":1741476542,"status":"completed","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"native-model-2026","output":[{"type":"message","id":"msg_native1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Native hello.","annotations":[]}]}],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":{"input_tokens":11,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":14},"user":null,"metadata":{}}
        """;

    internal static string NativeEvents => string.Concat(
        Event("response.created", """{"type":"response.created","sequence_number":0,"response":{"id":"resp_native2","object":"response","created_at":1,"status":"in_progress","model":"native-model-2026","output":[],"usage":null}}"""),
        Event("response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_n","output_index":0,"content_index":0,"delta":"Na","logprobs":[]}"""),
        Event("response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_n","output_index":0,"content_index":0,"delta":"tive","logprobs":[]}"""),
        Event("response.completed", """{"type":"response.completed","sequence_number":3,"response":{"id":"resp_native2","object":"response","created_at":1,"status":"completed","model":"native-model-2026","output":[{"type":"message","id":"msg_n","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Native","annotations":[]}]}],"usage":{"input_tokens":9,"input_tokens_details":{"cached_tokens":0},"output_tokens":2,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":11}}}"""));

    [Fact]
    public async Task CreateResponse_NativeTarget_TheClientsRequestGoesAsItIsAndTheAnswerComesBackUnchanged()
    {
        string? sentBody = null, sentKey = null;
        await using var provider = await ScriptedProvider.StartAsync(async (_, context) =>
        {
            sentKey = context.Request.Headers.Authorization.ToString();
            sentBody = await new StreamReader(context.Request.Body).ReadToEndAsync();
            await ScriptedProvider.Json(context, NativeAnswer);
        }, "responses");
        await using var gateway = await StartAsync(("Gateway:Models:0:Name", "native"), ("Gateway:Models:0:Targets:0:BaseUrl", provider.ApiUrl),
            ("Gateway:Models:0:Targets:0:Model", "native-model-2026"), ("Gateway:Models:0:Targets:0:ApiKey", ProviderKey),
            ("Gateway:Models:0:Targets:0:NativeResponses", "true"));

        var response = (await gateway.OpenAi().GetResponsesClient().CreateResponseAsync(new CreateResponseOptions("native",
            [ResponseItem.CreateUserMessageItem("Hello")]) { Instructions = "Be brief." })).Value;

        Assert.Equal("resp_native1", response.Id);
        Assert.Equal("Native hello.", response.GetOutputText());
        Assert.Equal(14, response.Usage.TotalTokenCount);
        Assert.Equal("Bearer " + ProviderKey, sentKey);
        using var sent = JsonDocument.Parse(sentBody!);
        Assert.Equal("native-model-2026", sent.RootElement.GetProperty("model").GetString());
        Assert.Equal("Be brief.", sent.RootElement.GetProperty("instructions").GetString());
        Assert.Equal(JsonValueKind.Array, sent.RootElement.GetProperty("input").ValueKind);
        Assert.False(sent.RootElement.TryGetProperty("messages", out _));
    }

    [Fact]
    public async Task CreateResponseStreaming_NativeTarget_EventsPassUnchanged()
    {
        await using var provider = await ScriptedProvider.StartAsync((_, context) =>
        {
            context.Response.ContentType = "text/event-stream";
            return context.Response.WriteAsync(NativeEvents);
        }, "responses");
        await using var gateway = await StartAsync(("Gateway:Models:0:Name", "native"), ("Gateway:Models:0:Targets:0:BaseUrl", provider.ApiUrl),
            ("Gateway:Models:0:Targets:0:NativeResponses", "true"));
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("v1/responses", new { model = "native", input = "Hello", stream = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(NativeEvents, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreateResponse_NativeTargetRateLimited_FallsBackToATranslatedTarget()
    {
        await using var provider = await ScriptedProvider.StartAsync((_, context) =>
            ScriptedProvider.Error(context, StatusCodes.Status429TooManyRequests, "rate_limit_error", "rate_limit_exceeded", "Slow down.", retryAfterSeconds: 60),
            "responses");
        await using var worker = SimulatorWorker.Start(("Inference:Simulator:TimeToFirstTokenMs", "0"), ("Inference:Simulator:InterTokenLatencyMs", "0"));
        await using var gateway = await StartAsync(("Gateway:Models:0:Name", "native"), ("Gateway:Models:0:Targets:0:BaseUrl", provider.ApiUrl),
            ("Gateway:Models:0:Targets:0:NativeResponses", "true"), ("Gateway:Models:0:Fallbacks:0", "sim"),
            ("Gateway:Models:1:Name", "sim"), ("Gateway:Models:1:Targets:0:BaseUrl", worker.ApiUrl));
        using var client = gateway.CreateClient();

        using var response = await client.PostAsJsonAsync("v1/responses", new { model = "native", input = "Hello", max_output_tokens = 5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sim", response.Header("aig-fallback-model"));
        Assert.True(provider.Requests >= 1);
        var answer = JsonElement.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("response", answer.GetProperty("object").GetString());
        Assert.StartsWith("resp_", answer.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(answer.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
        // A model with a native target is never cached: the cache keeps chat answers.
        Assert.Equal("BYPASS", response.Header("aig-cache-status"));
    }

    internal static string Event(string type, string data) => $"event: {type}\ndata: {data}\n\n";

    private Task<TestGateway> StartAsync(params (string Key, string Value)[] settings) =>
        TestGateway.StartAsync(redis, settings.ToDictionary(s => s.Key, s => (string?)s.Value));
}
