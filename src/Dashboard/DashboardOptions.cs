using System.ComponentModel.DataAnnotations;

namespace AiPlatform.Dashboard;

/// <summary>The Dashboard's settings (<c>Dashboard:*</c>).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>How often the Overview and Backends pages refresh themselves.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The Aspire dashboard's address, for links from a request's trace id to its trace (the AppHost sets it); no
    /// links when unset.
    /// </summary>
    public Uri? TracesUrl { get; set; }

}
