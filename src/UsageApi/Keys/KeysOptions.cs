using System.ComponentModel.DataAnnotations;

namespace AiPlatform.UsageApi.Keys;

public sealed class KeysOptions
{
    public const string SectionName = "Keys";

    /// <summary>How long a request waits for its Redis write before leaving it to the background retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RedisWriteTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the tombstone of a revoked key stays in Redis.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan RevokedRecordTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>First wait before the background retry tries Redis again; doubles up to <see cref="SyncRetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SyncRetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan SyncRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many keys may wait for a retried write; beyond that a full re-sync is done instead.</summary>
    [Range(1, 1_000_000)]
    public int SyncQueueCapacity { get; set; } = 1024;
}
