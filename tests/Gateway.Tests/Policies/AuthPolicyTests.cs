using System.Net;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Auth;
using AiPlatform.Testing;

namespace AiPlatform.Gateway.Tests.Policies;

[Collection(PolicyCollection.Name)]
public sealed class AuthPolicyTests(PolicyFixture platform)
{
    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").GetProperty("code").GetString()!;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer sk-aig-short")]
    [InlineData("Bearer sk-openai-0123456789012345678901234567890123456789")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Chat_MissingOrMalformedKey_Returns401InvalidApiKey(string? authorization)
    {
        var gateway = platform.StartGateway();
        using var client = platform.Client(gateway, key: null);
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.PostAsync(Chat.Body("hi"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Chat_RevokedKey_Returns401()
    {
        var (key, _) = await platform.NewKeyAsync(revoked: true);
        using var client = platform.Client(platform.StartGateway(), key);

        using var response = await client.PostAsync(Chat.Body("hi"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Chat_ExpiredKey_Returns401()
    {
        var (key, _) = await platform.NewKeyAsync(expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        using var client = platform.Client(platform.StartGateway(), key);

        using var response = await client.PostAsync(Chat.Body("hi"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chat_ModelNotAllowedForKey_Returns403AndModelsListHidesIt()
    {
        var (key, _) = await platform.NewKeyAsync(models: ["slow"]);
        using var client = platform.Client(platform.StartGateway(), key);

        using var refused = await client.PostAsync(Chat.Body("hi", model: "sim"));
        using var allowed = await client.PostAsync(Chat.Body("hi", model: "slow", maxTokens: 2));
        var models = await client.GetStringAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("model_not_allowed", await ErrorCodeAsync(refused));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("\"slow\"", models);
        Assert.DoesNotContain("\"sim\"", models);
    }

    [Fact]
    public async Task Models_WithoutKey_Returns401()
    {
        using var client = platform.Client(platform.StartGateway(), key: null);

        using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Chat_TooManyFailuresFromOneAddress_Returns429ThenEvenForAValidKey()
    {
        var gateway = platform.StartGateway(settings: ("Gateway:Auth:FailedAuthPerMinutePerIp", "3"));
        var (validKey, _) = await platform.NewKeyAsync();
        var ip = platform.NewClientIp();
        var (revokedKey, _) = await platform.NewKeyAsync(revoked: true);
        using var revokedClient = platform.Client(gateway, revokedKey, ip);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await revokedClient.PostAsync(Chat.Body("guess"));
            statuses.Add(attempt.StatusCode);
        }

        using var blocked = await platform.Client(gateway, validKey, ip).PostAsync(Chat.Body("now honest"));
        using var otherAddress = await platform.Client(gateway, validKey).PostAsync(Chat.Body("another address", maxTokens: 2));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.NotNull(blocked.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
    }

    [Fact]
    public async Task Revocation_PublishedChange_SeenByTwoReplicasWithinOneSecond()
    {
        var (key, record) = await platform.NewKeyAsync();
        using var first = platform.Client(platform.StartGateway(), key);
        using var second = platform.Client(platform.StartGateway(), key);
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsync(Chat.Body("warm", maxTokens: 1))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsync(Chat.Body("warm", maxTokens: 1))).StatusCode);

        await TestKeys.PublishChangeAsync(platform.Redis.ConnectionString, key, record with { Revoked = true });

        await Eventually.TrueAsync(async () =>
            (await first.PostAsync(Chat.Body("after", maxTokens: 1))).StatusCode == HttpStatusCode.Unauthorized &&
            (await second.PostAsync(Chat.Body("after", maxTokens: 1))).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1), "a replica still accepted the revoked key");
    }
}
