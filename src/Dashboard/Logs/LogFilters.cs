using AiPlatform.Dashboard.Analytics;

namespace AiPlatform.Dashboard.Logs;

/// <summary>The Logs page's filters as a person edits them; empty fields filter nothing.</summary>
public sealed class LogFilters
{
    public RangeChoice Range { get; set; } = RangeChoice.Default;
    public string? Model { get; set; }
    public string? KeyId { get; set; }

    /// <summary>A code (<c>429</c>) or a class (<c>5xx</c>).</summary>
    public string? Status { get; set; }

    public bool? Cached { get; set; }
    public bool? Stream { get; set; }
    public string? Target { get; set; }
    public string? Path { get; set; }
    public string? TraceId { get; set; }
    public string? MetadataName { get; set; }
    public string? MetadataValue { get; set; }

    /// <summary>The query for <paramref name="range"/>; a metadata value needs its name, and the reverse.</summary>
    public UsageQuery ToQuery(TimeRange range) => range.ToQuery() with
    {
        Model = Blank(Model),
        KeyId = Blank(KeyId),
        Status = Blank(Status),
        Cached = Cached,
        Stream = Stream,
        Target = Blank(Target),
        Path = Blank(Path),
        TraceId = Blank(TraceId)?.ToLowerInvariant(),
        MetadataName = Blank(MetadataName) is not null && MetadataValue is { Length: > 0 } ? MetadataName!.Trim() : null,
        MetadataValue = Blank(MetadataName) is not null && MetadataValue is { Length: > 0 } ? MetadataValue : null,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
