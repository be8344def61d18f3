namespace AiPlatform.Dashboard.Backends;

/// <summary>A model the Gateway serves, with every target it may send it to (<c>GET /v1/admin/backends</c>).</summary>
public sealed record ServedModel
{
    public required string Model { get; init; }
    public IReadOnlyList<BackendTarget> Targets { get; init; } = [];
}

/// <summary>One upstream address as the Gateway sees it now.</summary>
public sealed record BackendTarget
{
    public required string Address { get; init; }
    public string? ServedModel { get; init; }

    /// <summary><c>up</c>, <c>ejected</c> (outlier ejection after failures) or <c>cooling_down</c> (after a provider's 429).</summary>
    public required string State { get; init; }

    public int InFlight { get; init; }

    /// <summary>Requests waiting in the worker's queue, as it last announced; null for a target that does not announce.</summary>
    public int? Waiting { get; init; }

    public RecentFigures? Recent { get; init; }
}

/// <summary>The target's last minute as the Gateway saw it.</summary>
public sealed record RecentFigures
{
    public long Requests { get; init; }
    public long Errors { get; init; }
    public int? LatencyMsP50 { get; init; }
    public int? LatencyMsP95 { get; init; }
}
