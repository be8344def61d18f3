namespace AiPlatform.Dashboard.Display;

/// <summary>Days as a person means them: in their own time zone.</summary>
public static class Days
{
    /// <summary>The moment <paramref name="day"/> begins in <paramref name="zone"/>.</summary>
    public static DateTimeOffset StartOf(DateTime day, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(day.Date, DateTimeKind.Unspecified);
        // A midnight skipped by a clock change does not exist; the first hour after it that does is the day's start.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        // A midnight that happens twice (clocks set back across it): the day starts at the first, the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
