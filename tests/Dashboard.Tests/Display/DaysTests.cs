using AiPlatform.Dashboard.Display;

namespace AiPlatform.Dashboard.Tests.Display;

/// <summary>A day begins at its first moment in the person's zone, also when a clock change falls on it.</summary>
public sealed class DaysTests
{
    [Theory]
    // Paris changes its clocks at 02:00/03:00: the days of the changes begin at an ordinary midnight.
    [InlineData("Europe/Paris", "2026-03-29", "2026-03-28T23:00:00Z")]
    [InlineData("Europe/Paris", "2026-03-30", "2026-03-29T22:00:00Z")]
    [InlineData("Europe/Paris", "2026-10-25", "2026-10-24T22:00:00Z")]
    [InlineData("Europe/Paris", "2026-10-26", "2026-10-25T23:00:00Z")]
    // Santiago skips from 00:00 to 01:00 (-04:00 to -03:00): the day begins at 01:00.
    [InlineData("America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z")]
    public void StartOf_Day_ItsFirstMomentInTheZone(string zone, string day, string expected) =>
        Assert.Equal(Parse(expected), Days.StartOf(DateTime.Parse(day, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(zone)));

    [Fact]
    public void StartOf_DayWithATime_TheDaysStart() =>
        Assert.Equal(Parse("2026-03-09T23:00:00Z"), Days.StartOf(new DateTime(2026, 3, 10, 15, 30, 0), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")));

    /// <summary>
    /// Havana sets its clocks back from 01:00 to 00:00 (-04:00 to -05:00): midnight happens twice, and the day begins at
    /// the first one, 04:00 UTC. The second (05:00 UTC) would leave the day's first hour out of a range.
    /// </summary>
    [Fact]
    public void StartOf_MidnightHappensTwice_TheFirstOne() =>
        Assert.Equal(Parse("2026-11-01T04:00:00Z"), Days.StartOf(new DateTime(2026, 11, 1), TimeZoneInfo.FindSystemTimeZoneById("America/Havana")));

    private static DateTimeOffset Parse(string time) => DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);
}
