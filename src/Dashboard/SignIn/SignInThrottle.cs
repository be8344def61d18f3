using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AiPlatform.Dashboard.SignIn;

/// <summary>
/// Limits failed sign-ins per client address (<see cref="SignInOptions.FailuresPerMinute"/>), so admin credentials
/// cannot be guessed at speed through the Dashboard (whose own address UsageApi would then block for everyone). Only failures count: a person who gets it right is never slowed.
/// In memory, per Dashboard replica.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.FailuresPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Whether this address used up its failures for the current minute.</summary>
    public bool IsBlocked(string address) => _failures.GetStatistics(address)?.CurrentAvailablePermits == 0;

    public void Failed(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
    }

    public void Dispose() => _failures.Dispose();
}

public sealed class SignInOptions
{
    public const string SectionName = "Dashboard:SignIn";

    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int FailuresPerMinute { get; set; } = 5;

    /// <summary>How long a sign-in lasts without use.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Session { get; set; } = TimeSpan.FromHours(8);
}
