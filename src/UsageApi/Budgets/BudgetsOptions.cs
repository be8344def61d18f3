using System.ComponentModel.DataAnnotations;

namespace AiPlatform.UsageApi.Budgets;

public sealed class BudgetsOptions
{
    public const string SectionName = "UsageApi:Budgets";

    /// <summary>How often the spend counters in Redis are reconciled with the ledger (see <see cref="SpendFormat"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);
}
