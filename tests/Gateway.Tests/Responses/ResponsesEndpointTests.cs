using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Proxy;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using OpenAI.Responses;

namespace AiPlatform.Gateway.Tests.Responses;

#pragma warning disable OPENAI001 // The Responses client is marked experimental in the SDK; it is what current code calls.

/// <summary>
/// <c>POST /v1/responses</c> through the official SDK's Responses client against the simulator, which speaks only chat
/// completions: the Gateway translates both ways, streamed or not, and a cached answer comes back in the same shape.
/// </summary>
public sealed class ResponsesEndpointTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task CreateResponse_ChatOnlyTarget_TranslatedAnswerWithUsage()
    {
        await using var worker = SimulatorWorker.Start(("Inference:Simulator:TimeToFirstTokenMs", "0"), ("Inference:Simulator:InterTokenLatencyMs", "0"));
        await using var gateway = await StartAsync(worker);
        var responses = gateway.OpenAi().GetResponsesClient();

        var response = (await responses.CreateResponseAsync(new CreateResponseOptions("sim", [ResponseItem.CreateUserMessageItem("Say hello")])
        {
            Instructions = "Be brief.",
            MaxOutputTokenCount = 12,
        })).Value;

        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(response.GetOutputText()));
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.InRange(response.Usage.OutputTokenCount, 1, 12);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task CreateResponseStreaming_ChatOnlyTarget_DeltasThenCompletedWithTheSameText()
    {
        await using var worker = SimulatorWorker.Start(("Inference:Simulator:TimeToFirstTokenMs", "0"), ("Inference:Simulator:InterTokenLatencyMs", "0"));
        await using var gateway = await StartAsync(worker);
        var responses = gateway.OpenAi().GetResponsesClient();

        var deltas = new List<string>();
        ResponseResult? completed = null;
        var stream = await responses.CreateResponseStreamingAsync(new CreateResponseOptions("sim", [ResponseItem.CreateUserMessageItem("Stream please")])
        {
            MaxOutputTokenCount = 8,
            StreamingEnabled = true,
        });
        await foreach (var update in stream)
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    deltas.Add(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
                case StreamingResponseIncompleteUpdate incomplete:
                    completed = incomplete.Response;
                    break;
            }
        }

        Assert.NotNull(completed);
        Assert.True(deltas.Count > 1, "the answer came in one piece, not as it was generated");
        Assert.Equal(string.Concat(deltas), completed.GetOutputText());
        Assert.InRange(completed.Usage.OutputTokenCount, 1, 8);
    }

    [Fact]
    public async Task CreateResponse_Cached_SecondIsAHitInTheSameShapeAndAsEvents()
    {
        await using var worker = SimulatorWorker.Start(("Inference:Simulator:TimeToFirstTokenMs", "0"), ("Inference:Simulator:InterTokenLatencyMs", "0"));
        await using var gateway = await StartAsync(worker, ("Gateway:Cache:Enabled", "true"));
        using var client = gateway.CreateClient();
        var body = new { model = "sim", input = "Cache me " + Guid.NewGuid().ToString("n"), max_output_tokens = 6 };

        using var miss = await client.PostAsJsonAsync("v1/responses", body);
        using var hit = await client.PostAsJsonAsync("v1/responses", body);
        using var streamedHit = await client.PostAsJsonAsync("v1/responses", new { body.model, body.input, body.max_output_tokens, stream = true });

        Assert.Equal("MISS", miss.Header("aig-cache-status"));
        Assert.Equal("HIT", hit.Header("aig-cache-status"));
        var first = JsonElement.Parse(await miss.Content.ReadAsStringAsync());
        var second = JsonElement.Parse(await hit.Content.ReadAsStringAsync());
        Assert.Equal("response", second.GetProperty("object").GetString());
        Assert.Equal(OutputText(first), OutputText(second));
        Assert.Equal("HIT", streamedHit.Header("aig-cache-status"));
        var events = await streamedHit.Content.ReadAsStringAsync();
        Assert.StartsWith("event: response.created\n", events, StringComparison.Ordinal);
        var completed = events.Split("\n\n").Single(e => e.StartsWith("event: response.completed", StringComparison.Ordinal)
            || e.StartsWith("event: response.incomplete", StringComparison.Ordinal));
        Assert.Equal(OutputText(first), OutputText(JsonElement.Parse(completed[(completed.IndexOf("data: ", StringComparison.Ordinal) + 6)..]).GetProperty("response")));
    }

    [Fact]
    public async Task CreateResponseStreaming_WorkerDropsMidStream_ErrorEventAndNoCompletedEvent()
    {
        await using var worker = SimulatorWorker.Start(("Inference:Simulator:TimeToFirstTokenMs", "0"), ("Inference:Simulator:InterTokenLatencyMs", "0"),
            ("Inference:Simulator:AllowFaultHeader", "true"));
        await using var gateway = await StartAsync(worker);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses")
        {
            Content = JsonContent.Create(new { model = "sim", input = "Cut me off", max_output_tokens = 50, stream = true }),
        };
        request.Headers.Add("aig-sim-fault", "drop-mid-stream");

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadUntilCutAsync(response);

        Assert.Contains("event: response.created\n", events, StringComparison.Ordinal);
        Assert.Contains("event: error\ndata: {\"type\":\"error\",\"code\":\"upstream_stream_error\"", events, StringComparison.Ordinal);
        Assert.DoesNotContain("response.completed", events, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"sim","input":"hi","previous_response_id":"resp_123"}""", "previous_response_id")]
    [InlineData("""{"model":"sim","input":"hi","tools":[{"type":"file_search"}]}""", "tools[0].type")]
    [InlineData("""{"model":"sim"}""", "input")]
    [InlineData("""{"model":"sim","input":42}""", "input")]
    public async Task CreateResponse_Untranslatable_400NamingTheFieldBeforeAnyUpstream(string body, string param)
    {
        await using var worker = SimulatorWorker.Start();
        await using var gateway = await StartAsync(worker);
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync("v1/responses", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.False(response.Headers.Contains("aig-target"));
    }

    private Task<TestGateway> StartAsync(SimulatorWorker worker, params (string Key, string Value)[] settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = worker.ApiUrl,
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        return TestGateway.StartAsync(redis, configuration);
    }

    private static string OutputText(JsonElement response) =>
        string.Concat(response.GetProperty("output").EnumerateArray()
            .Where(item => item.GetProperty("type").GetString() == "message")
            .SelectMany(item => item.GetProperty("content").EnumerateArray())
            .Select(part => part.GetProperty("text").GetString()));
}
