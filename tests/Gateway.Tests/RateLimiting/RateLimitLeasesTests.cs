using System.Globalization;
using AiPlatform.Gateway.RateLimiting;
using AiPlatform.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Tests.RateLimiting;

/// <summary>
/// A replica's leases against a real Redis: units are taken with an admission, spent locally, settled locally, and
/// given back (or charged, for a debt) when the lease ends. The wall clock stands still (no refill muddles the counts);
/// the leases' own timers run in real time, with a period short enough to wait for and long enough for a busy machine
/// to use a lease before it ends. Requests are large (a tenth of the limit), so that Redis, which expires a bucket in
/// real time once it would have refilled, keeps it well past the lease's end.
/// </summary>
public sealed class RateLimitLeasesTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const int Tpm = 10_000;
    private readonly ManualClock _clock = new();
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private RateLimitLeases Leases(double maxFraction = 0.1) => new(new RedisRateLimiter(_connection, _clock),
        Options.Create(new RateLimitOptions { MaxLeaseFraction = maxFraction, LeasePeriod = TimeSpan.FromSeconds(2) }), _clock);

    private static RateLimitRequest Tokens(string key, int tokens, int tpm = Tpm) => new(key, null, tpm, tokens, null, 0);

    [Fact]
    public async Task Lease_SpentSettledWithADebtAndEnded_ChargesTheBucketExactlyWhatWasUsed()
    {
        var key = Guid.NewGuid().ToString("n");
        using var leases = Leases();
        var first = await AdmitThroughRedisAsync(leases, Tokens(key, 1000));
        // A key seen once takes no lease; a second request soon after takes one (here the most: a tenth of the limit).
        Assert.Null(leases.TryAdmit(Tokens(key, 1000)));
        await AdmitThroughRedisAsync(leases, Tokens(key, 1000));

        var third = leases.TryAdmit(Tokens(key, 1000));
        // The third answer used 1,300 tokens where 1,000 were reserved: the lease owes 300 more than it holds.
        var settled = leases.TryCredit(LimitKind.Tokens, key, Tpm, 1000 - 1300);

        Assert.True(first.Allowed);
        Assert.Equal(Tpm - 1000, first.Tokens!.Value.Remaining);
        Assert.True(third is { Allowed: true, TokensReserved: 1000 });
        Assert.True(settled);
        // Three requests reserving 1,000, the third using 1,300: 3,300 in all, once the lease has gone back.
        await Eventually.TrueAsync(async () => await LevelAsync(key) == Tpm - 3300, TestTimeouts.Default,
            "the ended lease did not give back its units and charge its debt");
    }

    [Fact]
    public async Task Lease_NotUsed_GivesEveryUnitBack()
    {
        var key = Guid.NewGuid().ToString("n");
        using var leases = Leases();
        await AdmitThroughRedisAsync(leases, Tokens(key, 1000));
        await AdmitThroughRedisAsync(leases, Tokens(key, 1000));
        Assert.True(await LevelAsync(key) < Tpm - 2000);

        await Eventually.TrueAsync(async () => await LevelAsync(key) == Tpm - 2000, TestTimeouts.Default,
            "the unused units did not go back to the shared bucket");
        Assert.Null(leases.TryAdmit(Tokens(key, 1)));
        Assert.False(leases.TryCredit(LimitKind.Tokens, key, Tpm, 1));
    }

    [Fact]
    public void Lease_LimitTooSmallForOneUnit_NeverTaken()
    {
        using var leases = Leases(maxFraction: 0.01);

        var renewal = leases.BeginRenewal(Tokens(Guid.NewGuid().ToString("n"), 1, tpm: 99));

        Assert.Same(LeaseRenewal.None, renewal);
    }

    [Fact]
    public async Task Lease_KeyLimitChanged_OldUnitsGoBackAndTheNewLimitStartsAfresh()
    {
        var key = Guid.NewGuid().ToString("n");
        using var leases = Leases();
        await AdmitThroughRedisAsync(leases, Tokens(key, 1000));
        await AdmitThroughRedisAsync(leases, Tokens(key, 1000));
        Assert.NotNull(leases.TryAdmit(Tokens(key, 1)));

        // The key's tpm is raised: requests now carry the new limit, and the old lease cannot serve them.
        Assert.Null(leases.TryAdmit(Tokens(key, 1000, tpm: 2 * Tpm)));
        Assert.Same(LeaseRenewal.None, leases.BeginRenewal(Tokens(key, 1000, tpm: 2 * Tpm)));

        await Eventually.TrueAsync(async () => await LevelAsync(key) == Tpm - 2001, TestTimeouts.Default,
            "the old lease's units did not go back when the limit changed");
    }

    private async Task<RateLimitDecision> AdmitThroughRedisAsync(RateLimitLeases leases, RateLimitRequest request) =>
        await new RedisRateLimiter(_connection, _clock).AdmitAsync(request, leases.BeginRenewal(request));

    private async Task<long> LevelAsync(string key)
    {
        var level = await _connection.GetDatabase().HashGetAsync(RedisRateLimiter.TokensBucket(key), "l");
        return (long)Math.Floor(double.Parse(level.ToString(), CultureInfo.InvariantCulture));
    }
}
