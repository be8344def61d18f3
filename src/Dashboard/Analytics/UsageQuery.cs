using System.Globalization;
using System.Text;

namespace AiPlatform.Dashboard.Analytics;

/// <summary>
/// Which ledger records a view covers: a time range and the filters UsageApi's analytics endpoints take. The same
/// query, turned into the same query string, feeds the figures, the charts and the log, so they always agree.
/// </summary>
public sealed record UsageQuery(DateTimeOffset From, DateTimeOffset To)
{
    public string? Model { get; init; }
    public string? KeyId { get; init; }

    /// <summary>A status code (<c>429</c>) or class (<c>5xx</c>).</summary>
    public string? Status { get; init; }

    public bool? Cached { get; init; }
    public bool? Stream { get; init; }
    public string? Target { get; init; }

    /// <summary>The request's path, matched exactly (<c>/v1/images/generations</c>).</summary>
    public string? Path { get; init; }

    public string? TraceId { get; init; }
    public string? MetadataName { get; init; }
    public string? MetadataValue { get; init; }

    /// <summary>The parameters as UsageApi reads them, each value escaped; filters left empty are left out.</summary>
    public string ToQueryString()
    {
        var query = new StringBuilder()
            .Append("from=").Append(Uri.EscapeDataString(Time(From)))
            .Append("&to=").Append(Uri.EscapeDataString(Time(To)));
        Add(query, "model", Model);
        Add(query, "key", KeyId);
        Add(query, "status", Status);
        Add(query, "cached", Flag(Cached));
        Add(query, "stream", Flag(Stream));
        Add(query, "target", Target);
        Add(query, "path", Path);
        Add(query, "trace_id", TraceId);
        if (!string.IsNullOrWhiteSpace(MetadataName) && MetadataValue is not null)
        {
            Add(query, "metadata." + MetadataName.Trim(), MetadataValue);
        }

        return query.ToString();
    }

    /// <summary>Whether any filter besides the time range is set.</summary>
    public bool IsFiltered => this != new UsageQuery(From, To);

    private static void Add(StringBuilder query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value.Trim()));
        }
    }

    private static string? Flag(bool? value) => value switch
    {
        true => "true",
        false => "false",
        null => null,
    };

    private static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
