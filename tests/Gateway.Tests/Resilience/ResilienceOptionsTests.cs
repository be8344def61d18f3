using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;

namespace AiPlatform.Gateway.Tests.Resilience;

/// <summary>The <c>Gateway:Resilience</c> section fails fast: a value out of range stops the Gateway at start, naming it.</summary>
public sealed class ResilienceOptionsTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Theory]
    [InlineData("Gateway:Resilience:MaxAttempts", "0", "MaxAttempts")]
    [InlineData("Gateway:Resilience:DefaultAttempts", "6", "DefaultAttempts")]
    [InlineData("Gateway:Resilience:RetryAfterCap", "01:00:00", "RetryAfterCap")]
    [InlineData("Gateway:Resilience:Outliers:ConsecutiveFailures", "0", "ConsecutiveFailures")]
    [InlineData("Gateway:Resilience:Outliers:FailureRatio", "1.5", "FailureRatio")]
    [InlineData("Gateway:Resilience:Outliers:BaseEjection", "00:00:00", "BaseEjection")]
    public async Task Start_SettingOutOfRange_RefusedNamingIt(string key, string value, string name)
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?> { [key] = value });
        });

        Assert.NotNull(error);
        Assert.Contains(name, error.ToString(), StringComparison.Ordinal);
    }
}
