using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.Testing;
using AiPlatform.UsageApi.Budgets;
using AiPlatform.UsageApi.Tests.Keys;
using AiPlatform.UsageApi.Tests.Ledger;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AiPlatform.UsageApi.Tests.Budgets;

/// <summary>
/// The spend counters in Redis against the ledger: raised to the ledger's sum when behind, never lowered when ahead.
/// UsageApi's wall clock is a <see cref="ManualClock"/> at 2026-01-15 12:00 UTC; the reconciliation is triggered
/// directly, except in the test of the loop.
/// </summary>
public sealed class ReconciliationTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(s_now);
    private WebApplicationFactory<Program> _usageApi = null!;
    private HttpClient _client = null!;
    private RedisProbe _redis = null!;
    private string _usageDb = null!;

    public async Task InitializeAsync()
    {
        _usageDb = await postgres.CreateDatabaseAsync();
        // Long interval: the tests call ReconcileAsync themselves.
        _usageApi = UsageApiHost.Create(_usageDb, redis, _clock, settings: ("UsageApi:Budgets:ReconcileInterval", "01:00:00"));
        _client = _usageApi.CreateAdminClient();
        _redis = await RedisProbe.ConnectAsync(redis);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _usageApi.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private BudgetReconciler Reconciler => _usageApi.Services.GetRequiredService<BudgetReconciler>();

    [Fact]
    public async Task Reconcile_MonthlyCounterFlushed_RaisedToLedgerSumOfThisMonth()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "monthly", "budget_usd": 100, "budget_period": "monthly"}""");
        await _client.IngestAsync(
            Spend(id, "jan-1", s_now.AddDays(-14), 2.5m),
            Spend(id, "jan-2", s_now.AddHours(-1), 0.5m),
            Spend(id, "dec", new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.Zero), 10m),
            Spend("someone-else", "other", s_now, 7m));
        var counter = $"aig:spend:{id}:m:2026-01";
        await _redis.Database.KeyDeleteAsync(counter);

        var raised = await Reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Equal(1, raised);
        Assert.Equal(3m, await ReadCounterAsync(counter));
        // Expires a day after the month ends, by UsageApi's clock: 17 days and 12 hours from now.
        var ttl = (await _redis.Database.KeyTimeToLiveAsync(counter))!.Value;
        Assert.InRange(ttl, TimeSpan.FromDays(17.5) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(17.5));
    }

    [Fact]
    public async Task Reconcile_CounterAheadOfLedger_NeverLowered()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "ahead", "budget_usd": 100, "budget_period": "monthly"}""");
        await _client.IngestAsync(Spend(id, "one", s_now, 2.5m));
        var counter = $"aig:spend:{id}:m:2026-01";
        // Gateways counted answers whose events are not ingested yet.
        await _redis.Database.StringSetAsync(counter, "4.75");

        var raised = await Reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Equal(0, raised);
        Assert.Equal("4.75", (await _redis.Database.StringGetAsync(counter)).ToString());
    }

    [Fact]
    public async Task Reconcile_CounterBehindLedger_RaisedAndGatewayIncrementsAddOn()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "behind", "budget_usd": 100, "budget_period": "monthly"}""");
        await _client.IngestAsync(Spend(id, "a", s_now, 2.5m), Spend(id, "b", s_now.AddMinutes(-1), 2.5m));
        var counter = $"aig:spend:{id}:m:2026-01";
        await _redis.Database.StringSetAsync(counter, "1.25");

        await Reconciler.ReconcileAsync(CancellationToken.None);
        // What a Gateway does next.
        await _redis.Database.StringIncrementAsync(counter, 0.5);

        Assert.Equal(5.5m, await ReadCounterAsync(counter));
    }

    [Fact]
    public async Task Reconcile_DailyPeriod_SumsOnlyTodayUtc()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "daily", "budget_usd": 10, "budget_period": "daily"}""");
        await _client.IngestAsync(
            Spend(id, "today-early", new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero), 2.5m),
            Spend(id, "today", s_now, 0.25m),
            Spend(id, "yesterday-late", new DateTimeOffset(2026, 1, 14, 23, 59, 59, TimeSpan.Zero), 2.5m));

        await Reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Equal(2.75m, await ReadCounterAsync($"aig:spend:{id}:d:2026-01-15"));
        Assert.False(await _redis.Database.KeyExistsAsync($"aig:spend:{id}:d:2026-01-14"));
    }

    [Fact]
    public async Task Reconcile_LifetimeBudget_SumsEverythingNoExpiry()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "lifetime", "budget_usd": 10}""");
        await _client.IngestAsync(Spend(id, "old", new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), 2.5m), Spend(id, "new", s_now, 2.5m));
        var counter = $"aig:spend:{id}:all";

        await Reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Equal(5m, await ReadCounterAsync(counter));
        Assert.Null(await _redis.Database.KeyTimeToLiveAsync(counter));
    }

    [Fact]
    public async Task Reconcile_NewMonth_NewCounterFromNewMonthOnly()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "rollover", "budget_usd": 10, "budget_period": "monthly"}""");
        await _client.IngestAsync(Spend(id, "jan", s_now, 2.5m));
        await Reconciler.ReconcileAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromDays(20));
        await _client.IngestAsync(Spend(id, "feb", _clock.GetUtcNow(), 0.5m));
        await Reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Equal(2.5m, await ReadCounterAsync($"aig:spend:{id}:m:2026-01"));
        Assert.Equal(0.5m, await ReadCounterAsync($"aig:spend:{id}:m:2026-02"));
    }

    [Fact]
    public async Task Reconcile_KeysWithoutBudgetOrRevoked_Untouched()
    {
        var (unbudgeted, _, _) = await _client.CreateKeyAsync("""{"name": "free"}""");
        var (revoked, _, _) = await _client.CreateKeyAsync("""{"name": "revoked", "budget_usd": 1}""");
        (await _client.DeleteAsync($"/v1/keys/{revoked}")).Dispose();
        await _client.IngestAsync(Spend(unbudgeted, "u", s_now, 2.5m), Spend(revoked, "r", s_now, 2.5m));

        Assert.Equal(0, await Reconciler.ReconcileAsync(CancellationToken.None));
        Assert.False(await _redis.Database.KeyExistsAsync($"aig:spend:{unbudgeted}:all"));
        Assert.False(await _redis.Database.KeyExistsAsync($"aig:spend:{revoked}:all"));
    }

    [Fact]
    public async Task Loop_RedisFlushed_CounterRaisedWithinAnInterval()
    {
        await using var fast = UsageApiHost.Create(_usageDb, redis, _clock, settings: ("UsageApi:Budgets:ReconcileInterval", "00:00:00.200"));
        using var client = fast.CreateAdminClient();
        var (id, _, _) = await client.CreateKeyAsync("""{"name": "looped", "budget_usd": 100, "budget_period": "daily"}""");
        await client.IngestAsync(Spend(id, "looped", s_now, 2.5m));
        var counter = $"aig:spend:{id}:d:2026-01-15";
        await Eventually.TrueAsync(async () => await _redis.Database.KeyExistsAsync(counter), TestTimeouts.Default);

        await _redis.Database.ExecuteAsync("FLUSHALL");

        await Eventually.TrueAsync(async () => (await _redis.Database.StringGetAsync(counter)).ToString() == "2.5", TestTimeouts.Default,
            "the next reconciliation raises the flushed counter again");
    }

    [Fact]
    public async Task Spend_Key_LedgerAndRedisFigures()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "spent", "budget_usd": 20.5, "budget_period": "monthly"}""");
        await _client.IngestAsync(Spend(id, "a", s_now, 2.5m), Spend(id, "b", s_now.AddMonths(-1), 2.5m));
        await _redis.Database.StringSetAsync($"aig:spend:{id}:m:2026-01", "3.125");

        using var response = await _client.GetAsync($"/v1/keys/{id}/spend");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(["key_id", "budget_usd", "budget_period", "period", "spent_usd", "spent_usd_fast"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, body.GetProperty("key_id").GetString());
        Assert.Equal("20.5", body.GetProperty("budget_usd").GetRawText());
        Assert.Equal("monthly", body.GetProperty("budget_period").GetString());
        Assert.Equal("m:2026-01", body.GetProperty("period").GetString());
        Assert.Equal("2.5", body.GetProperty("spent_usd").GetRawText());
        Assert.Equal("3.125", body.GetProperty("spent_usd_fast").GetRawText());
    }

    [Fact]
    public async Task Spend_NoBudgetNoCounter_LifetimeZeros()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "nothing"}""");

        using var response = await _client.GetAsync($"/v1/keys/{id}/spend");

        var body = await response.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("budget_usd").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("budget_period").ValueKind);
        Assert.Equal("all", body.GetProperty("period").GetString());
        Assert.Equal("0", body.GetProperty("spent_usd").GetRawText());
        Assert.Equal("0", body.GetProperty("spent_usd_fast").GetRawText());
    }

    [Fact]
    public async Task Spend_UnknownKeyOrNoMasterKey_Returns404Or401()
    {
        using var unknown = await _client.GetAsync($"/v1/keys/{Guid.NewGuid()}/spend");
        using var anonymous = _usageApi.CreateClient();
        using var unauthorized = await anonymous.GetAsync($"/v1/keys/{Guid.NewGuid()}/spend");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await UsageApiHost.AssertOpenAiErrorAsync(unknown, ApiErrorTypes.InvalidRequest, ApiErrorCodes.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    /// <summary>An event that costs <paramref name="usd"/> at gpt-4o's seeded price (2.50 USD per million input tokens).</summary>
    private static TestEvent Spend(string keyId, string requestId, DateTimeOffset at, decimal usd) => new()
    {
        RequestId = requestId,
        Timestamp = at,
        KeyId = keyId,
        ServedModel = "gpt-4o",
        PromptTokens = (int)(usd / 2.5m * 1_000_000),
        CompletionTokens = 0,
    };

    private async Task<decimal> ReadCounterAsync(string counter)
    {
        RedisValue value = await _redis.Database.StringGetAsync(counter);
        Assert.True(value.HasValue, $"{counter} does not exist");
        return decimal.Parse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
