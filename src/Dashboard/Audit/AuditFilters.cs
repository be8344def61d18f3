using System.Text;

namespace AiPlatform.Dashboard.Audit;

/// <summary>The Audit page's filters as a person edits them; empty fields filter nothing.</summary>
public sealed class AuditFilters
{
    public string? Action { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public string? ActorId { get; set; }

    /// <summary>The filters as <c>GET /v1/audit</c> reads them, each value escaped, empty ones left out.</summary>
    public string ToQueryString()
    {
        var query = new StringBuilder();
        Add(query, "action", Action);
        Add(query, "target_type", TargetType);
        Add(query, "target_id", TargetId);
        Add(query, "actor_id", ActorId);
        return query.ToString();
    }

    /// <summary>Whether any filter is set.</summary>
    public bool IsFiltered => ToQueryString().Length > 0;

    private static void Add(StringBuilder query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Append(query.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
        }
    }
}
