namespace AiPlatform.Dashboard.Logs;

/// <summary>Where a request's trace can be read: the Aspire dashboard's trace view, when the platform runs under its AppHost.</summary>
public static class TraceLinks
{
    /// <summary>The trace's page, or null when no traces address is configured or the id is not a trace id.</summary>
    public static Uri? For(Uri? tracesUrl, string? traceId) =>
        tracesUrl is not null && traceId is { Length: 32 } && traceId.All(char.IsAsciiHexDigit)
            ? new Uri(WithTrailingSlash(tracesUrl), $"traces/detail/{traceId.ToLowerInvariant()}")
            : null;

    // Without it, a dashboard behind a path (http://proxy/aspire) would lose the path's last segment.
    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new UriBuilder(address) { Path = address.AbsolutePath + "/" }.Uri;
}
