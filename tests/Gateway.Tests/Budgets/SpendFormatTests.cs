using AiPlatform.Gateway.Budgets;

namespace AiPlatform.Gateway.Tests.Budgets;

public sealed class SpendFormatTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 22, 23, 59, 0, TimeSpan.FromHours(-5));

    [Theory]
    [InlineData("monthly", "aig:spend:k1:m:2026-11")]
    [InlineData("daily", "aig:spend:k1:d:2026-11-23")]
    [InlineData(null, "aig:spend:k1:all")]
    public void Key_Period_UsesUtcCalendar(string? period, string expected)
    {
        Assert.Equal(expected, SpendFormat.Key("k1", period, s_now));
    }

    [Theory]
    [InlineData("monthly", "2026-12-02T00:00:00+00:00")]
    [InlineData("daily", "2026-11-25T00:00:00+00:00")]
    public void ExpiresAt_PeriodCounter_ADayAfterThePeriodEnds(string period, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SpendFormat.ExpiresAt(period, s_now));
    }

    [Fact]
    public void ExpiresAt_Lifetime_Never()
    {
        Assert.Null(SpendFormat.ExpiresAt(null, s_now));
    }
}
