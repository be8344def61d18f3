using System.ComponentModel.DataAnnotations;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>How failed admin authentications are limited (section <c>AdminAuth</c>).</summary>
public sealed class AdminAuthOptions
{
    public const string SectionName = "AdminAuth";

    /// <summary>Failed attempts a client address may make per <see cref="Window"/>; the next one is answered 429.</summary>
    [Range(1, 10_000)]
    public int FailuresPerWindow { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
