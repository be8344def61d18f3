using System.ComponentModel.DataAnnotations;

namespace AiPlatform.Gateway.Usage;

public sealed class UsageOptions
{
    public const string SectionName = "Gateway:Usage";

    /// <summary>Send usage events to UsageApi (the ledger). Off only for setups without UsageApi.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Events held in memory before sending; when full, events go straight to the Redis Stream.</summary>
    [Range(100, 10_000_000)]
    public int ChannelCapacity { get; set; } = 100_000;

    /// <summary>A batch is sent when it has this many events…</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>…or when its first event has waited this long, whichever comes first.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often batches parked in the Redis Stream are offered to UsageApi again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReplayInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Store the client's IP with each record (switch off where that is personal data you must not keep).</summary>
    public bool RecordClientIp { get; set; } = true;

    /// <summary>Largest <c>aig-metadata</c> accepted (bytes of JSON); larger gets 400.</summary>
    [Range(16, 1024 * 1024)]
    public int MaxMetadataBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Characters kept of each side of a logged payload (keys with <c>log_payloads</c>): the request body and the answer's
    /// text. Beyond it the text is cut and the payload marked truncated.
    /// </summary>
    [Range(16, 1024 * 1024)]
    public int PayloadMaxChars { get; set; } = 32 * 1024;

    /// <summary>
    /// The largest batch body sent to UsageApi (bytes of JSON); a larger batch is split. Logged payloads make events large,
    /// and UsageApi refuses a body over 64 MiB as a whole, which would set every event of the batch aside.
    /// </summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int MaxBatchBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long shutdown waits to hand over what is still in memory.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
