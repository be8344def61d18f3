using System.ComponentModel.DataAnnotations;

namespace AiPlatform.Gateway.Routing;

/// <summary><c>Gateway:Workers</c>: finding the workers that announce themselves in Redis.</summary>
public sealed class WorkerDirectoryOptions
{
    public const string SectionName = "Gateway:Workers";

    /// <summary>Whether announced workers become targets of the models they serve.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the announcements are read; a worker that stops beating is gone within its TTL plus this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}
