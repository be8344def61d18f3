using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Proxy;
using AiPlatform.Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Gateway.Tests.Usage;

/// <summary>
/// The usage event as the Gateway sends it to UsageApi: the request's trace id always, and for a key with
/// <c>log_payloads</c> what was asked and answered, cut at the cap; nothing of it for other keys.
/// </summary>
public sealed class UsageEventTests(UsageEventsFixture platform) : IClassFixture<UsageEventsFixture>
{
    private const string Emoji = "\U0001F600";

    private static string ChatBody(string model, string text, bool stream = false) =>
        JsonSerializer.Serialize(new { model, stream, max_tokens = 8, messages = new[] { new { role = "user", content = text } } });

    private static string Unique(string text) => $"{text} {Guid.NewGuid():n}";

    /// <summary>Posts <paramref name="body"/> exactly as given (no re-encoding) and reads the whole answer.</summary>
    private async Task<(HttpResponseMessage Response, string Text, JsonElement Event)> SendAsync(string body, string? key = null)
    {
        using var client = platform.Gateway.CreateClient(key);
        var response = await client.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var usageEvent = await platform.UsageApi.EventAsync(response.Header("aig-request-id"));
        return (response, text, usageEvent);
    }

    private static string AssistantMessage(string answer)
    {
        using var json = JsonDocument.Parse(answer);
        return json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    [Fact]
    public async Task UsageEvent_ClientContinuesItsTrace_CarriesThatTraceId()
    {
        // The caller's span, as an instrumented application has it: the client sends its context as traceparent.
        var traceId = ActivityTraceId.CreateRandom();
        (HttpResponseMessage Response, string Text, JsonElement Event) sent;
        using (new Activity("caller").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            sent = await SendAsync(ChatBody("sim", Unique("traced")));
        }

        Assert.Equal(HttpStatusCode.OK, sent.Response.StatusCode);
        Assert.Equal(traceId.ToHexString(), sent.Event.GetProperty("trace_id").GetString());
    }

    [Fact]
    public async Task UsageEvent_NoTraceContextSent_CarriesTheGatewaysOwnTraceId()
    {
        Assert.Null(Activity.Current);

        var (_, _, usageEvent) = await SendAsync(ChatBody("sim", Unique("untraced")));

        var traceId = usageEvent.GetProperty("trace_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.NotEqual(new string('0', 32), traceId);
    }

    [Fact]
    public async Task Payload_KeyWithoutLogPayloads_NotInTheEvent()
    {
        var (response, _, usageEvent) = await SendAsync(ChatBody("sim", Unique("private")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(usageEvent.TryGetProperty("payload", out _));
    }

    [Fact]
    public async Task Payload_NonStreamedChat_RequestBodyAndAssistantMessage()
    {
        var body = ChatBody("sim", Unique("what is the answer"));

        var (response, answer, usageEvent) = await SendAsync(body, platform.LoggedKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payload = usageEvent.GetProperty("payload");
        Assert.Equal(body, payload.GetProperty("request").GetString());
        Assert.Equal(AssistantMessage(answer), payload.GetProperty("response").GetString());
        Assert.False(payload.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Payload_StreamedChat_DeltasConcatenated()
    {
        var body = ChatBody("sim", Unique("stream it"), stream: true);

        var (response, answer, usageEvent) = await SendAsync(body, platform.LoggedKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var streamed = Sse.ContentOf(Sse.DataPayloads(answer));
        Assert.NotEmpty(streamed);
        var payload = usageEvent.GetProperty("payload");
        Assert.Equal(body, payload.GetProperty("request").GetString());
        Assert.Equal(streamed, payload.GetProperty("response").GetString());
        Assert.False(payload.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Payload_CacheHitStreamed_TheCachedAnswersText()
    {
        var text = Unique("ask twice");
        var (_, first, missEvent) = await SendAsync(ChatBody("sim", text), platform.LoggedKey);

        using var client = platform.Gateway.CreateClient(platform.LoggedKey);
        using var hit = await AiPlatform.Testing.Eventually.ResultAsync(
            () => client.PostAsync("v1/chat/completions", new StringContent(ChatBody("sim", text, stream: true), Encoding.UTF8, "application/json")),
            r => r.Header("aig-cache-status") == "HIT");
        var replayed = Sse.ContentOf(Sse.DataPayloads(await hit.Content.ReadAsStringAsync()));
        var hitEvent = await platform.UsageApi.EventAsync(hit.Header("aig-request-id"));

        Assert.Equal("HIT", hit.Header("aig-cache-status"));
        Assert.True(hitEvent.GetProperty("cached").GetBoolean());
        Assert.Equal(AssistantMessage(first), missEvent.GetProperty("payload").GetProperty("response").GetString());
        Assert.Equal(replayed, hitEvent.GetProperty("payload").GetProperty("response").GetString());
        Assert.Equal(AssistantMessage(first), replayed);
    }

    [Fact]
    public async Task Payload_UpstreamErrorAnswer_TheErrorBodyTheClientGot()
    {
        platform.Provider.Script = (_, context) => ScriptedProvider.Error(context, StatusCodes.Status400BadRequest,
            "invalid_request_error", "bad_thing", "Your request had a bad thing in it.");

        var (response, answer, usageEvent) = await SendAsync(ChatBody("scripted", Unique("refused")), platform.LoggedKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(answer, usageEvent.GetProperty("payload").GetProperty("response").GetString());
    }

    [Fact]
    public async Task Payload_NoBackendReachable_TheGatewaysErrorAnswer()
    {
        var (response, answer, usageEvent) = await SendAsync(ChatBody("down", Unique("nobody home")), platform.LoggedKey);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(answer, usageEvent.GetProperty("payload").GetProperty("response").GetString());
    }

    [Fact]
    public async Task Payload_RequestAndAnswerLongerThanTheCap_CutWithoutSplittingAPair()
    {
        const int cap = UsageEventsFixture.PayloadMaxChars;
        var content = new string('a', cap - 1) + Emoji + new string('b', 100);
        platform.Provider.Script = (_, context) => Results.Json(new
        {
            id = "chatcmpl-long",
            @object = "chat.completion",
            created = 1,
            model = "provider",
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 300, completion_tokens = 150, total_tokens = 450 },
        }).ExecuteAsync(context);
        // The raw emoji (not \u-escaped) in the body, its first half as the cap's last character.
        const string prefix = """{"model":"scripted","messages":[{"role":"user","content":" """;
        var body = prefix + new string('x', cap - 1 - prefix.Length) + Emoji + new string('y', 600) + "\"}]}";

        var (response, answer, usageEvent) = await SendAsync(body, platform.LoggedKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, AssistantMessage(answer));
        var payload = usageEvent.GetProperty("payload");
        Assert.Equal(body[..(cap - 1)], payload.GetProperty("request").GetString());
        Assert.Equal(content[..(cap - 1)], payload.GetProperty("response").GetString());
        Assert.True(payload.GetProperty("truncated").GetBoolean());
    }
}
