using System.ComponentModel.DataAnnotations;

namespace AiPlatform.Gateway.Forwarding;

public sealed class ForwardingOptions
{
    public const string SectionName = "Gateway:Forwarding";

    /// <summary>Largest request body accepted; larger ones get 413 before they are read.</summary>
    [Range(1024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Time allowed to open a connection to a target; past it the target counts as unreachable (502 or the next target).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Time allowed until the upstream's response headers arrive (for a non-streamed answer, that is the whole
    /// generation); past it 504. A request may shorten it with <c>aig-request-timeout</c> (seconds).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest silence allowed between two reads of a streamed body; a long stream lives as long as bytes flow.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest non-streamed answer kept in memory to read its <c>usage</c>; larger answers pass through uncounted.</summary>
    [Range(1024, 1L << 30)]
    public int MaxInspectedResponseBytes { get; set; } = 4 * 1024 * 1024;
}
