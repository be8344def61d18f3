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

    /// <summary>
    /// A batch is sent when it has this many events… Large enough that under load batches are cut by time, not size: each
    /// batch is a transaction and a WAL flush in UsageApi's Postgres, and at 500 a busy machine's UsageApi fell behind
    /// (bench/RESULTS.md, issue 13: a third of the events parked in Redis and replayed; at 2,000 a sixth).
    /// </summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>
    /// …or when its first event has waited this long, whichever comes first. Events waiting here are only in memory, so
    /// this bounds what a replica killed outright (SIGKILL, OOM) loses of the ledger: about the requests it answered in
    /// the last interval. Short costs little: at a high rate batches fill up (and go) sooner anyway, and at a low rate a
    /// few small batches a second are nothing to UsageApi.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long one batch's delivery to UsageApi may take before it counts as failed (and the batch is parked). A batch is
    /// kept in Redis while it is sent (<see cref="UsageParking.SendingKey"/>); one kept there twice this long belongs
    /// to a Gateway that died sending it, and another replica replays it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When a batch in a Gateway's hands counts as abandoned by a dead Gateway, and another replica replays it: one it was
    /// sending (kept in Redis), or one its replayer had taken from the parked stream and not delivered. A live Gateway is
    /// done with either well before, unless UsageApi has been slow for several batches in a row; then a batch may be
    /// replayed twice, which idempotent ingestion absorbs.
    /// </summary>
    public TimeSpan AbandonedSendAge => SendTimeout * 2;

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
