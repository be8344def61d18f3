using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Resilience;

/// <summary>The <c>Gateway:Resilience</c> section: retries, fallbacks and outlier ejection.</summary>
public sealed class ResilienceOptions
{
    public const string SectionName = "Gateway:Resilience";

    /// <summary>Attempts a request gets (first try, retries and fallbacks together) when it does not send <c>aig-max-attempts</c>.</summary>
    [Range(1, 20)]
    public int DefaultAttempts { get; set; } = 3;

    /// <summary>The most attempts <c>aig-max-attempts</c> may ask for.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first backoff before trying a target again; it doubles with each attempt, with full jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromMilliseconds(50);

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest <c>Retry-After</c> of a 429 the Gateway waits for; a target asking for longer is left alone until then.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryAfterCap { get; set; } = TimeSpan.FromSeconds(5);

    [ValidateObjectMembers]
    public OutlierOptions Outliers { get; set; } = new();
}

/// <summary>
/// <c>Gateway:Resilience:Outliers</c>: when a target is taken out of rotation. Kept per Gateway replica: each replica
/// sees its own failures at once, with no Redis round trip on the request path, and a target failing for everyone is
/// ejected by every replica within a few requests anyway.
/// </summary>
public sealed class OutlierOptions
{
    /// <summary>Failures in a row that eject a target.</summary>
    [Range(1, 1000)]
    public int ConsecutiveFailures { get; set; } = 5;

    /// <summary>The share of failed requests in <see cref="Window"/> that ejects a target, once it saw <see cref="MinimumRequests"/>.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 100_000)]
    public int MinimumRequests { get; set; } = 20;

    /// <summary>How long the first ejection lasts; each repeat doubles it, up to <see cref="MaxEjection"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan BaseEjection { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxEjection { get; set; } = TimeSpan.FromMinutes(2);
}
