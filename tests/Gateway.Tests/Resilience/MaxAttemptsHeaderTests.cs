using System.Net;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Gateway.Tests.Resilience;

/// <summary><c>aig-max-attempts</c>: a whole number from 1 to <c>Gateway:Resilience:MaxAttempts</c>, or the request is refused before any upstream sees it.</summary>
public sealed class MaxAttemptsHeaderTests(MaxAttemptsHeaderTests.Platform platform) : IClassFixture<MaxAttemptsHeaderTests.Platform>
{
    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("2.5")]
    [InlineData("5")]
    public async Task Chat_InvalidMaxAttempts_Returns400NamingTheHeaderWithoutForwarding(string value)
    {
        using var client = platform.Gateway.CreateClient();
        var before = platform.Provider.Requests;

        using var response = await TestGateway.PostChatAsync(client, "busy", ("aig-max-attempts", value));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("aig-max-attempts", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("from 1 to 4", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, platform.Provider.Requests);
    }

    [Fact]
    public async Task Chat_MaxAttemptsAtTheCap_AcceptedAndUsedUp()
    {
        using var client = platform.Gateway.CreateClient();
        var before = platform.Provider.Requests;

        using var response = await TestGateway.PostChatAsync(client, "busy", ("aig-max-attempts", "4"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("4", response.Header("aig-attempts"));
        Assert.Equal(4, platform.Provider.Requests - before);
    }

    /// <summary>A Gateway allowing up to 4 attempts, in front of a provider that is always busy.</summary>
    public sealed class Platform : IAsyncLifetime
    {
        private readonly RedisServer _redis = new();

        internal ScriptedProvider Provider { get; private set; } = null!;

        internal TestGateway Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await _redis.InitializeAsync();
            Provider = await ScriptedProvider.StartAsync((_, context) => ScriptedProvider.Error(
                context, StatusCodes.Status503ServiceUnavailable, "server_error", null, "busy"));
            Gateway = await TestGateway.StartAsync(_redis, new Dictionary<string, string?>
            {
                ["Gateway:Models:0:Name"] = "busy",
                ["Gateway:Models:0:Targets:0:BaseUrl"] = Provider.ApiUrl,
                ["Gateway:Resilience:MaxAttempts"] = "4",
                // Retries of the one target back off; kept short so that the accepted case runs quickly.
                ["Gateway:Resilience:BackoffBase"] = "00:00:00.010",
            });
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Provider.DisposeAsync();
            await _redis.DisposeAsync();
        }
    }
}
