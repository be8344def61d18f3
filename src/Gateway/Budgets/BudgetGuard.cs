using System.Globalization;
using AiPlatform.Gateway.Auth;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Budgets;

/// <summary>
/// Enforces a key's <c>budget_usd</c>: every answer adds its cost to the key's spend counter for the current period
/// (the fast figure; UsageApi raises it to the ledger's sum when it lags), and a key whose counter has reached its
/// budget is refused until the budget is raised or a new period begins. When Redis cannot be read the request is let
/// through: budgets are reconciled from the ledger, while refusing every paying request during an outage would not be.
/// </summary>
public sealed class BudgetGuard(IConnectionMultiplexer redis, PriceBook prices, TimeProvider time, ILogger<BudgetGuard> logger)
{
    public async Task<bool> IsSpentAsync(KeyRecord key)
    {
        if (key.BudgetUsd is not { } budget)
        {
            return false;
        }

        try
        {
            var spent = await redis.GetDatabase().StringGetAsync(SpendFormat.Key(key.Id, key.BudgetPeriod, time.GetUtcNow()));
            return spent.HasValue && decimal.Parse(spent.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture) >= budget;
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
            var counter = SpendFormat.Key(key.Id, key.BudgetPeriod, now);
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
}
