using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Keys;

namespace AiPlatform.Dashboard.Tests.Keys;

/// <summary>The key editor's fields: an expiry is a last day in the person's zone, the key working through that day.</summary>
public sealed class KeyFormTests
{
    private static readonly TimeZoneInfo s_paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public void From_ExpiryAtMidnightInTheZone_TheDayBeforeIsTheLastDay()
    {
        // 2026-04-30T22:00Z is the midnight that ends April 30 in Paris (+02:00).
        var form = KeyForm.From(new KeySettings { Name = "ci", ExpiresAt = new DateTimeOffset(2026, 4, 30, 22, 0, 0, TimeSpan.Zero) }, s_paris);

        Assert.Equal(new DateTime(2026, 4, 30), form.ExpiresOn);
    }

    [Theory]
    [InlineData("2026-04-30", "2026-04-30T22:00:00Z")]
    [InlineData("2026-01-15", "2026-01-15T23:00:00Z")]
    // The last day before the autumn change ends at +02:00; the change day itself, 25 hours long, at +01:00.
    [InlineData("2026-10-24", "2026-10-24T22:00:00Z")]
    [InlineData("2026-10-25", "2026-10-25T23:00:00Z")]
    [InlineData("2026-03-28", "2026-03-28T23:00:00Z")]
    public void ToSettings_LastDay_ExpiresAtTheMidnightAfterItInUtc(string lastDay, string expiresAt)
    {
        var settings = new KeyForm { Name = "ci", ExpiresOn = DateTime.Parse(lastDay, System.Globalization.CultureInfo.InvariantCulture) }.ToSettings(s_paris);

        Assert.Equal(DateTimeOffset.Parse(expiresAt, System.Globalization.CultureInfo.InvariantCulture), settings.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, settings.ExpiresAt!.Value.Offset);
        Assert.Equal(DateTime.Parse(lastDay, System.Globalization.CultureInfo.InvariantCulture), KeyForm.From(settings, s_paris).ExpiresOn);
    }

    [Fact]
    public void RoundTrip_UntouchedForm_NothingToSend()
    {
        var key = new KeySettings
        {
            Name = "ci",
            Rpm = 60,
            Tpm = 1_000,
            BudgetUsd = 12.5m,
            BudgetPeriod = "daily",
            Models = ["sim", "gpt-4o-mini"],
            ExpiresAt = new DateTimeOffset(2026, 10, 25, 23, 0, 0, TimeSpan.Zero),
            LogPayloads = true,
        };

        var form = KeyForm.From(key, s_paris);

        Assert.Equal("sim, gpt-4o-mini", form.Models);
        Assert.Equal("{}", KeyChanges.ForUpdate(key, form.ToSettings(s_paris)).ToJsonString());
    }

    /// <summary>
    /// An expiry set elsewhere (through the API, or from a browser in New York: midnight there is 04:00 UTC) is not at a
    /// midnight of Paris. Opening the key in Paris and saving another change must leave it as it was, not move it to
    /// the midnight after its day in Paris (18 hours later).
    /// </summary>
    [Fact]
    public void RoundTrip_ExpiryNotAtMidnightInTheZone_Unchanged()
    {
        var key = new KeySettings { Name = "ci", ExpiresAt = new DateTimeOffset(2026, 5, 2, 4, 0, 0, TimeSpan.Zero) };

        var settings = KeyForm.From(key, s_paris).ToSettings(s_paris);

        Assert.Equal(key.ExpiresAt, settings.ExpiresAt);
    }

    [Fact]
    public void ToSettings_ModelsLine_SplitTrimmedWithoutBlanksOrRepeats()
    {
        var settings = new KeyForm { Name = "ci", Models = " sim , ,gpt-4o-mini,sim, llama3:8b " }.ToSettings(s_paris);

        Assert.Equal(["sim", "gpt-4o-mini", "llama3:8b"], settings.Models);
    }

    [Fact]
    public void ToSettings_EmptyModelsLine_EveryModel() =>
        Assert.Empty(new KeyForm { Name = "ci", Models = " , " }.ToSettings(s_paris).Models);

    [Fact]
    public void ToSettings_PeriodWithoutBudget_NoPeriod()
    {
        var settings = new KeyForm { Name = "ci", BudgetUsd = null, BudgetPeriod = "monthly" }.ToSettings(s_paris);

        Assert.Null(settings.BudgetUsd);
        Assert.Null(settings.BudgetPeriod);
    }

    [Fact]
    public void ToSettings_Fields_AsTypedNameTrimmed()
    {
        var settings = new KeyForm { Name = "  ci  ", Rpm = 60, Tpm = 9_000, BudgetUsd = 5m, BudgetPeriod = "daily", LogPayloads = true }.ToSettings(s_paris);

        Assert.Equal("ci", settings.Name);
        Assert.Equal(60, settings.Rpm);
        Assert.Equal(9_000, settings.Tpm);
        Assert.Equal(5m, settings.BudgetUsd);
        Assert.Equal("daily", settings.BudgetPeriod);
        Assert.True(settings.LogPayloads);
        Assert.Null(settings.ExpiresAt);
    }
}
