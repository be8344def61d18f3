using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AiPlatform.Testing;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Tests.Policies;

[Collection(PolicyCollection.Name)]
public sealed class RateLimitTests(PolicyFixture platform)
{
    [Fact]
    public async Task Rpm_SharedByTwoReplicas_LetsExactlyTheLimitThrough()
    {
        var clock = new ManualClock();
        var (key, _) = await platform.NewKeyAsync(rpm: 5);
        using var first = platform.Client(platform.StartGateway(clock), key);
        using var second = platform.Client(platform.StartGateway(clock), key);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            responses.Add(await (i % 2 == 0 ? first : second).PostAsync(Chat.Body($"request {i}", maxTokens: 1)));
        }

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("rate_limit_exceeded", await refused.Content.ReadAsStringAsync());
        Assert.Equal("5", responses[0].Header("x-ratelimit-limit-requests"));
        Assert.Equal(["4", "3", "2", "1", "0"], responses.Take(5).Select(r => r.Header("x-ratelimit-remaining-requests")));
    }

    [Fact]
    public async Task Rpm_LeasedByTwoReplicas_NeverLetsMoreThanTheLimitThroughAndGivesTheRestBack()
    {
        var clock = new ManualClock();
        // Leases of up to a tenth of 200: each replica admits most requests without asking Redis. The clock stands
        // still, so the bucket does not refill: every unit is either used by a request or given back.
        var (key, record) = await platform.NewKeyAsync(rpm: 200);
        (string, string) leases = ("Gateway:RateLimits:MaxLeaseFraction", "0.1");
        using var first = platform.Client(platform.StartGateway(clock, leases), key);
        using var second = platform.Client(platform.StartGateway(clock, leases), key);

        var admitted = 0;
        for (var i = 0; i < 240; i++)
        {
            using var response = await (i % 2 == 0 ? first : second).PostAsync(Chat.Body($"leased {i}", maxTokens: 1));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"request {i}: {response.StatusCode}");
            admitted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        // At most the limit; at worst one lease per replica (20 units) held back when the other ran dry.
        Assert.InRange(admitted, 160, 200);
        await Eventually.TrueAsync(async () => await LevelAsync(record.Id, "rpm") == 200 - admitted, TestTimeouts.Default,
            "the replicas' unused leased units did not all go back to the shared bucket");
    }

    [Fact]
    public async Task Rpm_TimePasses_RefillsGraduallyWithoutAFixedWindowBurst()
    {
        var clock = new ManualClock();
        var (key, _) = await platform.NewKeyAsync(rpm: 6);
        using var client = platform.Client(platform.StartGateway(clock), key);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Chat.Body($"fill {i}", maxTokens: 1))).StatusCode);
        }

        // Six a minute is one every ten seconds: after ten seconds exactly one more passes, not a new window of six.
        clock.Advance(TimeSpan.FromSeconds(10));
        var afterTen = new[]
        {
            (await client.PostAsync(Chat.Body("after 1", maxTokens: 1))).StatusCode,
            (await client.PostAsync(Chat.Body("after 2", maxTokens: 1))).StatusCode,
        };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], afterTen);
    }

    [Fact]
    public async Task Tpm_ReservationIsCorrectedWithTheRealUsage()
    {
        var clock = new ManualClock();
        var (key, record) = await platform.NewKeyAsync(tpm: 10_000);
        // The key's tokens are leased (100 units): the correction goes into the lease, and back to Redis with it when it
        // ends. A short lease, so that it ends well before Redis expires the bucket (in real time, while this clock stands).
        using var client = platform.Client(platform.StartGateway(clock, ("Gateway:RateLimits:LeasePeriod", "00:00:00.100")), key);
        var json = """{"model":"sim","max_tokens":40,"messages":[{"role":"user","content":"count my tokens"}]}""";
        var estimate = (Encoding.UTF8.GetByteCount(json) / 4) + 40;

        using var response = await client.PostAsync(Chat.Raw(json));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var used = answer.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((10_000 - estimate).ToString(CultureInfo.InvariantCulture), response.Header("x-ratelimit-remaining-tokens"));
        Assert.NotEqual(estimate, used);
        await Eventually.TrueAsync(async () => await TokenLevelAsync(record.Id) == 10_000 - used, TestTimeouts.Default,
            "the reservation was not replaced by the real usage");
    }

    [Fact]
    public async Task Tpm_RequestLargerThanTheLimit_Returns429RequestTooLarge()
    {
        var (key, _) = await platform.NewKeyAsync(tpm: 100);
        using var client = platform.Client(platform.StartGateway(), key);

        using var response = await client.PostAsync(Chat.Body("hello", maxTokens: 500));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("Request too large", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tpm_MaxTokensNearIntMax_RefusedAsTooLargeNotWrappedIntoANegativeReservation()
    {
        var (key, _) = await platform.NewKeyAsync(tpm: 10_000);
        using var client = platform.Client(platform.StartGateway(), key);

        using var response = await client.PostAsync(Chat.Body("hello", maxTokens: int.MaxValue));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("Request too large", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tpm_ReservedByARequestInFlight_RefusesTheNextUntilItRefills()
    {
        var clock = new ManualClock();
        var (key, _) = await platform.NewKeyAsync(tpm: 600);
        using var client = platform.Client(platform.StartGateway(clock), key);

        // The first request holds its reservation (max_tokens plus the prompt estimate) while the slow model streams.
        using var first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Chat.Body("a", model: "slow", stream: true, maxTokens: 500),
        }, HttpCompletionOption.ResponseHeadersRead);
        using var second = await client.PostAsync(Chat.Body("b", maxTokens: 500));
        await first.Content.ReadAsStringAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        using var third = await client.PostAsync(Chat.Body("c", maxTokens: 500));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("600", second.Header("x-ratelimit-limit-tokens"));
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task RedisStopped_RequestsStillAnsweredWithLocalLimits()
    {
        var (key, _) = await platform.NewKeyAsync(rpm: 1000);
        var gateway = platform.StartGateway();
        using var client = platform.Client(gateway, key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Chat.Body("before", maxTokens: 1))).StatusCode);

        await platform.Redis.StopAsync();
        try
        {
            using var during = await client.PostAsync(Chat.Body("during the outage", maxTokens: 1));

            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
            Assert.Equal("BYPASS", during.Header("aig-cache-status"));
            Assert.Equal("1000", during.Header("x-ratelimit-limit-requests"));
        }
        finally
        {
            await platform.Redis.StartAsync();
        }
    }

    [Fact]
    public async Task RedisStopped_RefuseModeAnswers503()
    {
        // A limit too small to lease: the replica holds no units it could admit against without Redis.
        var (key, _) = await platform.NewKeyAsync(rpm: 50);
        using var client = platform.Client(platform.StartGateway(settings: ("Gateway:RateLimits:WhenRedisIsDown", "Refuse")), key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Chat.Body("before", maxTokens: 1))).StatusCode);

        await platform.Redis.StopAsync();
        try
        {
            using var during = await client.PostAsync(Chat.Body("during", maxTokens: 1));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        }
        finally
        {
            await platform.Redis.StartAsync();
        }
    }

    private Task<long> TokenLevelAsync(string keyId) => LevelAsync(keyId, "tpm");

    private async Task<long> LevelAsync(string keyId, string bucket)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(platform.Redis.ConnectionString);
        var level = await redis.GetDatabase().HashGetAsync($"aig:rl:{{{keyId}}}:{bucket}", "l");
        return (long)Math.Floor(double.Parse(level.ToString(), CultureInfo.InvariantCulture));
    }
}
