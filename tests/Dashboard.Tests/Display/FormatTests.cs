using AiPlatform.Dashboard.Display;

namespace AiPlatform.Dashboard.Tests.Display;

/// <summary>Figures are written exactly (a page can be checked against the API), durations as a person reads them.</summary>
public sealed class FormatTests
{
    private static readonly TimeZoneInfo s_paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(999L, "999")]
    [InlineData(1_000L, "1,000")]
    [InlineData(1_234_567L, "1,234,567")]
    [InlineData(-1_234L, "-1,234")]
    [InlineData(long.MaxValue, "9,223,372,036,854,775,807")]
    public void Count_Value_GroupsThousandsWithCommas(long value, string expected) =>
        Assert.Equal(expected, Format.Count(value));

    [Theory]
    [InlineData("0", "$0.00")]
    [InlineData("0.5", "$0.50")]
    [InlineData("12", "$12.00")]
    [InlineData("0.000123", "$0.000123")]
    [InlineData("0.000001", "$0.000001")]
    [InlineData("1234.567891", "$1,234.567891")]
    [InlineData("1234567.1", "$1,234,567.10")]
    [InlineData("-1.5", "-$1.50")]
    [InlineData("-0.000042", "-$0.000042")]
    [InlineData("-1234.5", "-$1,234.50")]
    public void Usd_Value_EveryLedgerDigitAtLeastTwoDecimals(string value, string expected) =>
        Assert.Equal(expected, Format.Usd(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(1L, 8L, "12.5%")]
    [InlineData(0L, 10L, "0.0%")]
    [InlineData(10L, 10L, "100.0%")]
    [InlineData(2L, 3L, "66.7%")]
    [InlineData(1_234L, 1_234_567L, "0.1%")]
    public void Percent_PartOfAWhole_OneDecimal(long part, long whole, string expected) =>
        Assert.Equal(expected, Format.Percent(part, whole));

    [Theory]
    [InlineData(0L)]
    [InlineData(5L)]
    public void Percent_ZeroWhole_IsADash(long part) =>
        Assert.Equal("—", Format.Percent(part, 0));

    [Theory]
    [InlineData(0, "0 ms")]
    [InlineData(850, "850 ms")]
    [InlineData(999, "999 ms")]
    [InlineData(1_000, "1 s")]
    [InlineData(1_250, "1.25 s")]
    [InlineData(60_000, "1 min 0 s")]
    [InlineData(61_000, "1 min 1 s")]
    [InlineData(125_000, "2 min 5 s")]
    public void Duration_Milliseconds_InTheUnitThatReads(int milliseconds, string expected) =>
        Assert.Equal(expected, Format.Duration(milliseconds));

    /// <summary>A duration under a minute never reads as a whole minute's worth of seconds: 59,999 ms is not "60 s".</summary>
    [Fact]
    public void Duration_JustUnderAMinute_StaysUnderSixtySeconds() =>
        Assert.Equal("59.99 s", Format.Duration(59_999));

    [Fact]
    public void Duration_None_IsADash() =>
        Assert.Equal("—", Format.Duration(null));

    [Theory]
    [InlineData(null, "—")]
    [InlineData(0L, "0 bytes")]
    [InlineData(1L, "1 byte")]
    [InlineData(999L, "999 bytes")]
    [InlineData(1_000L, "1 kB (1,000 bytes)")]
    [InlineData(1_234_567L, "1.2 MB (1,234,567 bytes)")]
    [InlineData(3_000_000_000L, "3 GB (3,000,000,000 bytes)")]
    [InlineData(long.MaxValue, "9.2 EB (9,223,372,036,854,775,807 bytes)")]
    public void Bytes_Count_InTheUnitThatReadsWithTheExactCount(long? bytes, string expected) =>
        Assert.Equal(expected, Format.Bytes(bytes));

    /// <summary>Like durations, sizes are cut, not rounded: just under a megabyte never reads as "1000 kB".</summary>
    [Fact]
    public void Bytes_JustUnderAMegabyte_StaysInKilobytes() =>
        Assert.Equal("999.9 kB (999,999 bytes)", Format.Bytes(999_999));

    [Theory]
    [InlineData(null, "—")]
    [InlineData(60, "60")]
    [InlineData(100_000, "100,000")]
    public void Limit_UnsetOrSet_DashOrCount(int? value, string expected) =>
        Assert.Equal(expected, Format.Limit(value));

    [Fact]
    public void Time_WinterAndSummer_InThePersonsZone()
    {
        Assert.Equal("2026-11-29 14:05:09", Format.Time(new DateTimeOffset(2026, 11, 29, 13, 5, 9, TimeSpan.Zero), s_paris));
        Assert.Equal("2026-07-01 14:00:00", Format.Time(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero), s_paris));
    }

    [Theory]
    [InlineData("2026-03-10T09:00:00Z", "hour", "10:00")]
    [InlineData("2026-03-10T09:05:00Z", "minute", "10:05")]
    [InlineData("2026-03-09T23:00:00Z", "hour", "03-10")]
    [InlineData("2026-03-09T23:00:00Z", "minute", "03-10")]
    [InlineData("2026-03-09T23:00:00Z", "day", "03-10")]
    public void BucketLabel_Width_TimeOrDayInTheZone(string bucket, string width, string expected) =>
        Assert.Equal(expected, Format.BucketLabel(DateTimeOffset.Parse(bucket, System.Globalization.CultureInfo.InvariantCulture), width, s_paris));
}
