using System.ComponentModel.DataAnnotations;

namespace AiPlatform.Gateway.Caching;

public sealed class CacheOptions
{
    public const string SectionName = "Gateway:Cache";

    public bool Enabled { get; set; } = true;

    /// <summary>How long an answer stays cached when the request does not say (<c>aig-cache-ttl</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest <c>aig-cache-ttl</c> a request may ask for; longer values are cut to it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Answers larger than this are not stored.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxEntryBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Memory for this replica's copy of recent answers in front of Redis (0: none, every lookup asks Redis). A hit found
    /// here costs no round trip.
    /// </summary>
    [Range(0, 4L * 1024 * 1024 * 1024)]
    public long MemoryBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>How long identical requests wait for the first one's answer before going upstream themselves.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SingleFlightWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Models whose answers are never cached (e.g. ones used with high temperature on purpose).</summary>
    public List<string> DisabledModels { get; set; } = [];
}
