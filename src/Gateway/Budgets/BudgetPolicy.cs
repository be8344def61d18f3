using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Pipeline;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Budgets;

/// <summary>Refuses a key whose budget is spent; after the answer, adds its cost to the key's spend.</summary>
public sealed class BudgetPolicy(BudgetGuard budgets) : IInferencePolicy
{
    public async Task InvokeAsync(InferenceContext context, InferenceDelegate next)
    {
        var key = context.Key;
        if (await budgets.IsSpentAsync(key))
        {
            await context.RefuseAsync(SpentError(key));
            return;
        }

        var feature = context.Feature;
        context.Http.Response.OnCompleted(() =>
        {
            if (!feature.Cached && feature.Usage is { } used)
            {
                budgets.AddSpend(key, feature.ServedModel ?? feature.RequestedModel, used.PromptTokens, used.CompletionTokens);
            }

            return Task.CompletedTask;
        });
        await next(context);
    }

    /// <summary>The refusal of a key whose budget is spent.</summary>
    public static ApiError SpentError(KeyRecord key) =>
        new(StatusCodes.Status429TooManyRequests,
            $"This key has spent its budget of {key.BudgetUsd} USD{PeriodText(key.BudgetPeriod)}; raise the budget to continue.",
            ApiErrorTypes.RateLimit, ApiErrorCodes.InsufficientQuota);

    private static string PeriodText(string? period) => period switch
    {
        SpendFormat.Monthly => " for this month",
        SpendFormat.Daily => " for today",
        _ => "",
    };
}
