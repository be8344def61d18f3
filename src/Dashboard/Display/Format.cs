using System.Globalization;

namespace AiPlatform.Dashboard.Display;

/// <summary>
/// How the Dashboard writes numbers. Counts and money are exact (the same digits the admin API gives, grouped), so a
/// figure on a page can be checked against the API; only chart axes round.
/// </summary>
public static class Format
{
    private static readonly CultureInfo s_culture = CultureInfo.InvariantCulture;

    private static readonly string[] s_byteUnits = ["kB", "MB", "GB", "TB", "PB", "EB"];

    /// <summary>1234567 → "1,234,567".</summary>
    public static string Count(long value) => value.ToString("#,0", s_culture);

    /// <summary>US dollars with every digit the ledger keeps (6 decimals), at least 2: 0.5 → "$0.50", 0.000123 → "$0.000123".</summary>
    public static string Usd(decimal value) =>
        (value < 0 ? "-$" : "$") + Math.Abs(value).ToString("#,0.00####", s_culture);

    /// <summary>A share of a whole, one decimal: (1, 8) → "12.5%"; "—" when there is no whole.</summary>
    public static string Percent(long part, long whole) =>
        whole == 0 ? "—" : ((double)part / whole).ToString("0.0%", s_culture);

    /// <summary>Milliseconds as a person reads them: "850 ms", "1.25 s", "2 min 5 s"; "—" when there is none.</summary>
    public static string Duration(int? milliseconds) => milliseconds switch
    {
        null => "—",
        < 1000 => $"{milliseconds.Value.ToString(s_culture)} ms",
        // Cut, not rounded: 59,999 ms is "59.99 s", never "60 s".
        < 60_000 => $"{(decimal.Floor(milliseconds.Value / 10m) / 100m).ToString("0.##", s_culture)} s",
        _ => $"{(milliseconds.Value / 60_000).ToString(s_culture)} min {(milliseconds.Value % 60_000 / 1000).ToString(s_culture)} s",
    };

    /// <summary>
    /// A size in decimal units with the exact count beside it, so it can be checked against the API: 1234567 →
    /// "1.2 MB (1,234,567 bytes)", 850 → "850 bytes"; "—" when there is none.
    /// </summary>
    public static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "—";
        }

        if (value < 1000)
        {
            return $"{Count(value)} {(value == 1 ? "byte" : "bytes")}";
        }

        var unit = -1;
        var scaled = (decimal)value;
        while (scaled >= 1000 && unit < s_byteUnits.Length - 1)
        {
            scaled /= 1000;
            unit++;
        }

        // Cut, not rounded, as durations are: 999,999 bytes is "999.9 kB", never "1000 kB".
        return $"{(decimal.Floor(scaled * 10) / 10).ToString("0.#", s_culture)} {s_byteUnits[unit]} ({Count(value)} bytes)";
    }

    /// <summary>A per-minute limit or a budget that may be unset: "—" for none.</summary>
    public static string Limit(int? value) => value is { } limit ? Count(limit) : "—";

    /// <summary>A time in the browser's zone: "2026-11-29 14:05:09".</summary>
    public static string Time(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm:ss", s_culture);

    /// <summary>A chart axis label for a bucket start, as short as its width allows.</summary>
    public static string BucketLabel(DateTimeOffset bucket, string width, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(bucket, zone);
        return width switch
        {
            "minute" or "hour" when local.Hour == 0 && local.Minute == 0 => local.ToString("MM-dd", s_culture),
            "minute" or "hour" => local.ToString("HH:mm", s_culture),
            _ => local.ToString("MM-dd", s_culture),
        };
    }
}
