using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Budgets;
using AiPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Tests.Budgets;

/// <summary>Two replicas' budget checks against a real Redis: neither asks Redis on every request, yet both refuse.</summary>
public sealed class BudgetGuardTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Spend_ReachingTheBudget_RefusedByTheReplicaAtOnceAndByTheOtherWithinTheInterval()
    {
        // A dollar a token, so that one answer of five tokens spends the whole budget.
        var model = $"budget-{Guid.NewGuid():n}";
        await _connection.GetDatabase().HashSetAsync(PriceBook.RedisKey, model,
            """{"input_per_million_usd":1000000,"output_per_million_usd":1000000}""");
        var prices = new PriceBook(_connection, TimeProvider.System, NullLogger<PriceBook>.Instance);
        await prices.RefreshAsync();
        var (spender, other) = (Replica(prices), Replica(prices));
        var key = new KeyRecord { Id = Guid.NewGuid().ToString("n"), BudgetUsd = 5 };
        Assert.False(await spender.IsSpentAsync(key));
        Assert.False(await other.IsSpentAsync(key));

        spender.AddSpend(key, model, promptTokens: 3, completionTokens: 2);

        Assert.True(await spender.IsSpentAsync(key));
        await Eventually.TrueAsync(async () => await other.IsSpentAsync(key), TestTimeouts.Default,
            "the other replica never saw the spend");
        var counter = await _connection.GetDatabase().StringGetAsync(SpendFormat.Key(key.Id, null, DateTimeOffset.UtcNow));
        Assert.Equal(5m, decimal.Parse(counter.ToString(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private BudgetGuard Replica(PriceBook prices) => new(_connection, prices, TimeProvider.System, NullLogger<BudgetGuard>.Instance);
}
