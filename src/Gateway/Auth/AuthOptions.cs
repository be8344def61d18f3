using System.ComponentModel.DataAnnotations;

namespace AiPlatform.Gateway.Auth;

public sealed class AuthOptions
{
    public const string SectionName = "Gateway:Auth";

    /// <summary>How long a replica trusts a key record it has seen; invalidations from UsageApi end it sooner.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long "no such key" is remembered, so that a flood of bad keys does not reach UsageApi.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan UnknownKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Failed authentications allowed per client IP per minute before that IP gets 429 (0 turns the limit off).</summary>
    [Range(0, 1_000_000)]
    public int FailedAuthPerMinutePerIp { get; set; } = 30;
}
