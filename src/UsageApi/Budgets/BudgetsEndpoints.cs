using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiPlatform.UsageApi.Budgets;

/// <summary>A key's spend in its current budget period (<c>keys:read</c>).</summary>
public static class BudgetsEndpoints
{
    public static IEndpointRouteBuilder MapBudgetsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(KeysEndpoints.RoutePrefix + "/{id:guid}/spend", GetSpendAsync)
            .RequireAdmin(AdminScopes.KeysRead)
            .WithTags("Keys")
            .WithName("GetKeySpend");
        return app;
    }

    /// <summary>
    /// What key <paramref name="id"/> spent in its current period: <c>spent_usd</c> from the ledger (the truth, without
    /// events not yet ingested) and <c>spent_usd_fast</c> from the Gateways' counter in Redis (null when Redis cannot be
    /// read).
    /// </summary>
    public static async Task<Results<Ok<KeySpendView>, ApiErrorResult>> GetSpendAsync(
        Guid id, [AsParameters] BudgetsServices services, CancellationToken cancellationToken)
    {
        if (await services.Keys.GetAsync(id, cancellationToken) is not { } key)
        {
            return new ApiErrorResult(ApiError.NotFound($"No API key with id '{id}'.", ApiErrorCodes.NotFound, "id"));
        }

        var now = services.Time.GetUtcNow();
        var period = key.Settings.BudgetPeriod;
        var spent = await services.Spend.GetSpentAsync(id, period, now, cancellationToken);
        decimal? fast;
        try
        {
            fast = await services.Counters.ReadAsync(SpendFormat.RedisKey(id, period, now)).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            fast = null;
        }

        return TypedResults.Ok(new KeySpendView(id, Money.Trim(key.Settings.BudgetUsd), period, SpendFormat.Period(period, now),
            Money.Trim(spent)!.Value, Money.Trim(fast)));
    }
}

/// <summary>The answer of <c>GET /v1/keys/{id}/spend</c>.</summary>
public sealed record KeySpendView(Guid KeyId, decimal? BudgetUsd, BudgetPeriod? BudgetPeriod, string Period, decimal SpentUsd, decimal? SpentUsdFast);

/// <summary>What the budget handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed record BudgetsServices(KeyStore Keys, SpendStore Spend, SpendCounters Counters, TimeProvider Time);
