using System.Net;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Gateway.Tests.Resilience;

/// <summary>A caller's own mistake, as the provider judges it, is not retried: any other target would refuse it too.</summary>
public sealed class CallerErrorTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Chat_ProviderAnswers400InvalidRequest_SentOnceAndPassedOn()
    {
        Func<int, HttpContext, Task> refuse = (_, context) => ScriptedProvider.Error(
            context, StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", "'temperature' must be at most 2.");
        await using var first = await ScriptedProvider.StartAsync(refuse);
        await using var second = await ScriptedProvider.StartAsync(refuse);
        // Two targets and five attempts: room for retries that must not happen.
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "strict",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = first.ApiUrl,
            ["Gateway:Models:0:Targets:1:BaseUrl"] = second.ApiUrl,
        });
        using var client = gateway.CreateClient();

        using var response = await TestGateway.PostChatAsync(client, "strict", ("aig-max-attempts", "5"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, first.Requests + second.Requests);
        Assert.Equal("1", response.Header("aig-attempts"));
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
        Assert.Equal("'temperature' must be at most 2.", error.GetProperty("message").GetString());
    }
}
