using AiPlatform.Gateway.RateLimiting;
using AiPlatform.Testing;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Tests.RateLimiting;

/// <summary>The bucket math of the Lua scripts, run in a real Redis with a clock the test moves.</summary>
public sealed class RedisRateLimiterTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private ConnectionMultiplexer _connection = null!;
    private readonly ManualClock _clock = new();

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private RedisRateLimiter Limiter() => new(_connection, _clock);

    private static RateLimitRequest Request(string key, int? rpm = null, int? tpm = null, int tokens = 0) => new(key, rpm, tpm, tokens, null, 0);

    [Fact]
    public async Task Admit_RequestsUpToTheLimit_ThenRefusesWithRetryAfterOfOneInterval()
    {
        var key = Guid.NewGuid().ToString("n");
        var limiter = Limiter();

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add(await limiter.AdmitAsync(Request(key, rpm: 3), LeaseRenewal.None));
        }

        Assert.Equal([true, true, true, false], decisions.Select(d => d.Allowed));
        Assert.Equal([2L, 1L, 0L, 0L], decisions.Select(d => d.Requests!.Value.Remaining));
        Assert.Equal(TimeSpan.FromSeconds(20), decisions[3].RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(1), decisions[2].Requests!.Value.ResetIn);
    }

    [Fact]
    public async Task Admit_TokensDeniedWhileRequestsAllowed_ChargesNeither()
    {
        var key = Guid.NewGuid().ToString("n");
        var limiter = Limiter();

        var first = await limiter.AdmitAsync(Request(key, rpm: 10, tpm: 100, tokens: 80), LeaseRenewal.None);
        var refused = await limiter.AdmitAsync(Request(key, rpm: 10, tpm: 100, tokens: 30), LeaseRenewal.None);
        var small = await limiter.AdmitAsync(Request(key, rpm: 10, tpm: 100, tokens: 20), LeaseRenewal.None);

        Assert.True(first.Allowed);
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(6), refused.RetryAfter);
        Assert.True(small.Allowed);
        Assert.Equal(8, small.Requests!.Value.Remaining);
        Assert.Equal(0, small.Tokens!.Value.Remaining);
    }

    [Fact]
    public async Task Adjust_RealUsageBelowTheReservation_GivesTheDifferenceBack()
    {
        var key = Guid.NewGuid().ToString("n");
        var limiter = Limiter();
        await limiter.AdmitAsync(Request(key, tpm: 1000, tokens: 600), LeaseRenewal.None);

        limiter.Adjust(RedisRateLimiter.TokensBucket(key), 1000, 150 - 600);
        var next = await limiter.AdmitAsync(Request(key, tpm: 1000, tokens: 1), LeaseRenewal.None);

        Assert.Equal(1000 - 150 - 1, next.Tokens!.Value.Remaining);
    }

    [Fact]
    public async Task Adjust_RealUsageAboveTheReservation_LeavesADebtThatDelaysTheNext()
    {
        var key = Guid.NewGuid().ToString("n");
        var limiter = Limiter();
        await limiter.AdmitAsync(Request(key, tpm: 600, tokens: 100), LeaseRenewal.None);

        limiter.Adjust(RedisRateLimiter.TokensBucket(key), 600, 800 - 100);
        var refused = await limiter.AdmitAsync(Request(key, tpm: 600, tokens: 10), LeaseRenewal.None);
        _clock.Advance(TimeSpan.FromSeconds(21));
        var allowed = await limiter.AdmitAsync(Request(key, tpm: 600, tokens: 10), LeaseRenewal.None);

        // 800 used of 600: 200 in debt, plus 10 wanted, at 10 tokens a second: 21 s.
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(21), refused.RetryAfter);
        Assert.True(allowed.Allowed);
    }

    [Fact]
    public async Task Admit_ClockBehindTheBucket_DoesNotRefillTwice()
    {
        var key = Guid.NewGuid().ToString("n");
        var ahead = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero));
        await new RedisRateLimiter(_connection, ahead).AdmitAsync(Request(key, rpm: 2), LeaseRenewal.None);
        await new RedisRateLimiter(_connection, ahead).AdmitAsync(Request(key, rpm: 2), LeaseRenewal.None);

        // A replica whose clock is a minute behind must not see a full bucket again.
        var behind = await Limiter().AdmitAsync(Request(key, rpm: 2), LeaseRenewal.None);

        Assert.False(behind.Allowed);
    }

    [Fact]
    public async Task Admit_CostAboveCapacity_NeverFitsAndSaysSo()
    {
        var decision = await Limiter().AdmitAsync(Request(Guid.NewGuid().ToString("n"), tpm: 100, tokens: 101), LeaseRenewal.None);

        Assert.False(decision.Allowed);
        Assert.Contains("Request too large", decision.Reason);
    }
}
