using AiPlatform.Dashboard.Analytics;

namespace AiPlatform.Dashboard.Tests.Analytics;

/// <summary>What a person picks becomes a range and a bucket width UsageApi accepts; custom days are days in their zone.</summary>
public sealed class TimeRangeTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo s_paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Theory]
    [InlineData(RangePreset.LastHour, "2026-03-10T11:00:00Z", "minute")]
    [InlineData(RangePreset.Last24Hours, "2026-03-09T12:00:00Z", "hour")]
    [InlineData(RangePreset.Last7Days, "2026-03-03T12:00:00Z", "hour")]
    [InlineData(RangePreset.Last30Days, "2026-02-08T12:00:00Z", "day")]
    public void Resolve_Preset_EndsNowWithItsBucket(RangePreset preset, string from, string bucket)
    {
        var range = new RangeChoice(preset).Resolve(s_now, s_paris, out var problem);

        Assert.Null(problem);
        Assert.Equal(new TimeRange(Time(from), s_now, bucket), range);
    }

    [Fact]
    public void Resolve_Default_Last24Hours() =>
        Assert.Equal(RangePreset.Last24Hours, RangeChoice.Default.Preset);

    [Fact]
    public void Resolve_CustomDaysInWinter_MidnightToMidnightInTheZone()
    {
        var range = new RangeChoice(RangePreset.Custom, new DateTime(2026, 1, 1), new DateTime(2026, 1, 31)).Resolve(s_now, s_paris, out var problem);

        Assert.Null(problem);
        Assert.Equal(new TimeRange(Time("2025-12-31T23:00:00Z"), Time("2026-01-31T23:00:00Z"), "day"), range);
    }

    /// <summary>The spring change day in Paris has 23 hours: the range is that day, not 24 hours from its start.</summary>
    [Fact]
    public void Resolve_CustomDayOfTheSpringChange_Its23Hours()
    {
        var range = new RangeChoice(RangePreset.Custom, new DateTime(2026, 3, 29), new DateTime(2026, 3, 29)).Resolve(s_now, s_paris, out var problem);

        Assert.Null(problem);
        Assert.Equal(new TimeRange(Time("2026-03-28T23:00:00Z"), Time("2026-03-29T22:00:00Z"), "hour"), range);
        Assert.Equal(TimeSpan.FromHours(23), range!.To - range.From);
    }

    [Fact]
    public void Resolve_CustomDayOfTheAutumnChange_Its25Hours()
    {
        var range = new RangeChoice(RangePreset.Custom, new DateTime(2026, 10, 25), new DateTime(2026, 10, 25)).Resolve(s_now, s_paris, out _);

        Assert.Equal(new TimeRange(Time("2026-10-24T22:00:00Z"), Time("2026-10-25T23:00:00Z"), "hour"), range);
    }

    [Theory]
    [InlineData("2026-03-01", "2026-03-14", "hour")]
    [InlineData("2026-03-01", "2026-03-15", "day")]
    public void Resolve_CustomDays_HourBucketsUpToFourteenDays(string fromDay, string toDay, string bucket)
    {
        var range = new RangeChoice(RangePreset.Custom, Day(fromDay), Day(toDay)).Resolve(s_now, TimeZoneInfo.Utc, out _);

        Assert.Equal(bucket, range!.Bucket);
    }

    [Theory]
    [InlineData("2026-03-10", "2026-03-05")]
    [InlineData("2026-03-10", "2026-03-09")]
    public void Resolve_CustomEndBeforeStart_AProblem(string fromDay, string toDay)
    {
        var range = new RangeChoice(RangePreset.Custom, Day(fromDay), Day(toDay)).Resolve(s_now, s_paris, out var problem);

        Assert.Null(range);
        Assert.Equal("The range's end must be after its start.", problem);
    }

    [Fact]
    public void Resolve_Custom366Days_Allowed()
    {
        var range = new RangeChoice(RangePreset.Custom, new DateTime(2025, 1, 1), new DateTime(2026, 1, 1)).Resolve(s_now, s_paris, out var problem);

        Assert.Null(problem);
        Assert.Equal(TimeSpan.FromDays(366), range!.To - range.From);
    }

    [Fact]
    public void Resolve_CustomOver366Days_AProblem()
    {
        var range = new RangeChoice(RangePreset.Custom, new DateTime(2025, 1, 1), new DateTime(2026, 1, 2)).Resolve(s_now, s_paris, out var problem);

        Assert.Null(range);
        Assert.Equal("A range may span at most 366 days.", problem);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Resolve_CustomWithoutADay_AProblem(bool withFrom, bool withTo)
    {
        var range = new RangeChoice(RangePreset.Custom, withFrom ? new DateTime(2026, 3, 1) : null, withTo ? new DateTime(2026, 3, 2) : null)
            .Resolve(s_now, s_paris, out var problem);

        Assert.Null(range);
        Assert.Equal("Pick the first and the last day.", problem);
    }

    [Fact]
    public void ToQuery_Range_FromAndToOnly() =>
        Assert.Equal(new UsageQuery(s_now.AddHours(-1), s_now), new TimeRange(s_now.AddHours(-1), s_now, "minute").ToQuery());

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTime Day(string text) => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
