using System.ComponentModel.DataAnnotations;

namespace AiPlatform.UsageApi.Prices;

public sealed class PricesOptions
{
    public const string SectionName = "UsageApi:Prices";

    /// <summary>How long a price change waits for its Redis write before leaving it to the background retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RedisWriteTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait before the background retry tries Redis again; doubles up to <see cref="SyncRetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SyncRetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan SyncRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
