using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Display;

namespace AiPlatform.Dashboard.Keys;

/// <summary>
/// The key editor's fields as a person types them: models as one comma-separated line, the expiry as a day in their
/// own time zone (the key works through that whole day).
/// </summary>
public sealed class KeyForm
{
    public string Name { get; set; } = "";
    public int? Rpm { get; set; }
    public int? Tpm { get; set; }
    public decimal? BudgetUsd { get; set; }

    /// <summary><c>daily</c>, <c>monthly</c>, or null: the budget covers the key's whole life.</summary>
    public string? BudgetPeriod { get; set; }

    public string Models { get; set; } = "";
    public DateTime? ExpiresOn { get; set; }
    public bool LogPayloads { get; set; }

    /// <summary>
    /// The expiry as loaded and the day shown for it: an expiry set elsewhere (through the API, or in another zone) need
    /// not fall on a midnight here, and must stay exactly as it was unless the person picks another day.
    /// </summary>
    private (DateTime Day, DateTimeOffset At)? _loadedExpiry;

    public static KeyForm From(KeySettings settings, TimeZoneInfo zone)
    {
        // The key expires at the midnight after its last day: that day is the one shown.
        var expiresOn = settings.ExpiresAt is { } expiresAt ? TimeZoneInfo.ConvertTime(expiresAt, zone).AddTicks(-1).Date : (DateTime?)null;
        return new()
        {
            Name = settings.Name,
            Rpm = settings.Rpm,
            Tpm = settings.Tpm,
            BudgetUsd = settings.BudgetUsd,
            BudgetPeriod = settings.BudgetPeriod,
            Models = string.Join(", ", settings.Models),
            ExpiresOn = expiresOn,
            LogPayloads = settings.LogPayloads,
            _loadedExpiry = expiresOn is { } day ? (day, settings.ExpiresAt!.Value) : null,
        };
    }

    public KeySettings ToSettings(TimeZoneInfo zone) => new()
    {
        Name = Name.Trim(),
        Rpm = Rpm,
        Tpm = Tpm,
        BudgetUsd = BudgetUsd,
        BudgetPeriod = BudgetUsd is null ? null : BudgetPeriod,
        Models = [.. Models.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)],
        ExpiresAt = ExpiresOn is not { } day ? null
            : _loadedExpiry is { } loaded && loaded.Day == day.Date ? loaded.At
            : Days.StartOf(day.AddDays(1), zone).ToUniversalTime(),
        LogPayloads = LogPayloads,
    };
}
