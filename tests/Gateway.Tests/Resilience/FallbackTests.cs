using System.ClientModel;
using System.Net;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Http;
using OpenAI.Chat;

namespace AiPlatform.Gateway.Tests.Resilience;

/// <summary>
/// Other models stand in for the requested one: its <c>Fallbacks</c> when all its targets failed, its
/// <c>ContextWindowFallbacks</c> when the prompt does not fit. The caller sees which one answered.
/// </summary>
public sealed class FallbackTests(RedisServer redis) : IClassFixture<RedisServer>
{
    /// <summary>vLLM's answer to a prompt that is too long: no OpenAI error code, only the wording.</summary>
    private const string VllmContextError =
        """{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}""";

    [Fact]
    public async Task Chat_AllTargetsDown_AnsweredByTheFallbackModelWhichTheCallerSees()
    {
        await using var backup = SimulatorWorker.Start(("Inference:Simulator:Model", "backup"));
        var down = TestGateway.ClosedTargetUrls(2);
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "primary",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = down[0],
            ["Gateway:Models:0:Targets:1:BaseUrl"] = down[1],
            ["Gateway:Models:0:Fallbacks:0"] = "backup",
            ["Gateway:Models:1:Name"] = "backup",
            ["Gateway:Models:1:Targets:0:BaseUrl"] = backup.ApiUrl,
        });

        ClientResult<ChatCompletion> result = await gateway.Chat("primary").CompleteChatAsync([new UserChatMessage("hello")]);
        var headers = result.GetRawResponse().Headers;

        Assert.Equal("backup", result.Value.Model);
        Assert.True(headers.TryGetValue("aig-fallback-model", out var fallback), "no aig-fallback-model header");
        Assert.Equal("backup", fallback);
        Assert.True(headers.TryGetValue("aig-target", out var target));
        Assert.Equal(backup.Authority, target);
        // Both targets of the requested model first, then the fallback: the default three attempts.
        Assert.True(headers.TryGetValue("aig-attempts", out var attempts));
        Assert.Equal("3", attempts);
    }

    [Fact]
    public async Task Chat_RequestedModelAnswers_NoFallbackHeader()
    {
        await using var worker = SimulatorWorker.Start();
        await using var backup = SimulatorWorker.Start(("Inference:Simulator:Model", "backup"));
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = worker.ApiUrl,
            ["Gateway:Models:0:Fallbacks:0"] = "backup",
            ["Gateway:Models:1:Name"] = "backup",
            ["Gateway:Models:1:Targets:0:BaseUrl"] = backup.ApiUrl,
        });

        ClientResult<ChatCompletion> result = await gateway.Chat("sim").CompleteChatAsync([new UserChatMessage("hello")]);

        Assert.Equal("sim", result.Value.Model);
        Assert.False(result.GetRawResponse().Headers.TryGetValue("aig-fallback-model", out _));
    }

    [Theory]
    [InlineData("""{"error":{"message":"This model's maximum context length is 4096 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")]
    [InlineData(VllmContextError)]
    public async Task Chat_PromptTooLongForTheModel_AnsweredByItsContextWindowFallback(string tooLong)
    {
        await using var small = await ScriptedProvider.StartAsync((_, context) =>
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(tooLong);
        });
        await using var large = SimulatorWorker.Start(("Inference:Simulator:Model", "large"));
        await using var gateway = await StartContextWindowGatewayAsync(small, large);
        using var client = gateway.CreateClient();

        using var response = await TestGateway.PostChatAsync(client, "small");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("large", response.Header("aig-fallback-model"));
        Assert.Equal(large.Authority, response.Header("aig-target"));
        Assert.Equal("large", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(1, small.Requests);
    }

    [Fact]
    public async Task Chat_Other400FromModelWithContextWindowFallback_PassedOnNotFallenBack()
    {
        await using var small = await ScriptedProvider.StartAsync((_, context) => ScriptedProvider.Error(
            context, StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", "'n' must be at most 8."));
        await using var large = SimulatorWorker.Start(("Inference:Simulator:Model", "large"));
        await using var gateway = await StartContextWindowGatewayAsync(small, large);
        using var client = gateway.CreateClient();

        using var response = await TestGateway.PostChatAsync(client, "small");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("", response.Header("aig-fallback-model"));
        Assert.Equal(1, small.Requests);
    }

    private Task<TestGateway> StartContextWindowGatewayAsync(ScriptedProvider small, SimulatorWorker large) =>
        TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "small",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = small.ApiUrl,
            ["Gateway:Models:0:ContextWindowFallbacks:0"] = "large",
            ["Gateway:Models:1:Name"] = "large",
            ["Gateway:Models:1:Targets:0:BaseUrl"] = large.ApiUrl,
        });
}
