using System.Collections.Concurrent;
using System.Globalization;
using AiPlatform.Gateway.Auth;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Budgets;

/// <summary>
/// Enforces a key's <c>budget_usd</c>: every answer adds its cost to the key's spend counter for the current period
/// (the fast figure; UsageApi raises it to the ledger's sum when it lags), and a key whose counter has reached its
/// budget is refused until the budget is raised or a new period begins. The counter is read at most once per
/// <see cref="SpendReadInterval"/> per key, with this replica's own spend added as it happens, so the check costs a
/// request no round trip; what other replicas spent shows within that interval. When Redis cannot be read the request
/// is let through: budgets are reconciled from the ledger, while refusing every paying request during an outage would
/// not be.
/// </summary>
public sealed class BudgetGuard(IConnectionMultiplexer redis, PriceBook prices, TimeProvider time, ILogger<BudgetGuard> logger)
{
    /// <summary>How stale a replica's view of a key's spend may be: the budget's overrun is what the key's other replicas spend in it.</summary>
    public static readonly TimeSpan SpendReadInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, SpendView> _views = new(StringComparer.Ordinal);

    public ValueTask<bool> IsSpentAsync(KeyRecord key)
    {
        if (key.BudgetUsd is not { } budget)
        {
            return ValueTask.FromResult(false);
        }

        var now = time.GetUtcNow();
        return CurrentView(key, now) is { } view && time.GetElapsedTime(view.ReadAt) < SpendReadInterval
            ? ValueTask.FromResult(view.Spent >= budget)
            : new ValueTask<bool>(ReadAsync(key, now, budget));
    }

    private async Task<bool> ReadAsync(KeyRecord key, DateTimeOffset now, decimal budget)
    {
        var readAt = time.GetTimestamp();
        var counter = SpendFormat.Key(key.Id, key.BudgetPeriod, now);
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(counter);
            var spent = value.HasValue ? decimal.Parse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture) : 0m;
            _views[key.Id] = new SpendView(key.BudgetPeriod, SpendFormat.PeriodEnd(key.BudgetPeriod, now), counter, spent, readAt);
            return spent >= budget;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or FormatException)
        {
            BudgetLog.SpendUnavailable(logger, ex.Message);
            return false;
        }
    }

    /// <summary>Adds an answer's cost to the key's counter, without waiting for Redis's reply. Never throws.</summary>
    public void AddSpend(KeyRecord key, string? model, int promptTokens, int completionTokens)
    {
        if (key.BudgetUsd is null)
        {
            return;
        }

        var cost = prices.CostOf(model, promptTokens, completionTokens);
        if (cost <= 0)
        {
            return;
        }

        try
        {
            var now = time.GetUtcNow();
            var view = CurrentView(key, now);
            view?.Add(cost);
            var counter = view?.Counter ?? SpendFormat.Key(key.Id, key.BudgetPeriod, now);

            var db = redis.GetDatabase();
            db.StringIncrement(counter, (double)cost, CommandFlags.FireAndForget);
            if (SpendFormat.ExpiresAt(key.BudgetPeriod, now) is { } expires)
            {
                // A period's counter is useless once the period is over; NX keeps the first expiry set.
                db.KeyExpire(counter, expires.UtcDateTime, ExpireWhen.HasNoExpiry, CommandFlags.FireAndForget);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            BudgetLog.SpendUnavailable(logger, ex.Message);
        }
    }

    /// <summary>
    /// This replica's view of the key's counter for the period <paramref name="now"/> is in, without naming the counter
    /// (formatting its name per request cost more than the check); null when it has none (or one of another period).
    /// </summary>
    private SpendView? CurrentView(KeyRecord key, DateTimeOffset now) =>
        _views.TryGetValue(key.Id, out var view) && view.Covers(key.BudgetPeriod, now) ? view : null;

    /// <summary>A key's spend as this replica last read it, plus what it has spent since.</summary>
    private sealed class SpendView(string? budgetPeriod, DateTimeOffset? periodEnd, string counter, decimal spent, long readAt)
    {
        private readonly Lock _gate = new();
        private decimal _spent = spent;

        /// <summary>The counter this view reads: the key's budget period unchanged, and <paramref name="now"/> still in the period it was read in.</summary>
        public bool Covers(string? period, DateTimeOffset now) =>
            string.Equals(budgetPeriod, period, StringComparison.Ordinal) && (periodEnd is not { } end || now < end);

        public string Counter => counter;

        public long ReadAt => readAt;

        public decimal Spent
        {
            get
            {
                lock (_gate)
                {
                    return _spent;
                }
            }
        }

        public void Add(decimal cost)
        {
            lock (_gate)
            {
                _spent += cost;
            }
        }
    }
}
