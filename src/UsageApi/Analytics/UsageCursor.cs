using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace AiPlatform.UsageApi.Analytics;

/// <summary>
/// The position after the last record of a page, for keyset pagination over <c>(timestamp DESC, request_id DESC)</c>:
/// the next page starts strictly below it, so records ingested meanwhile never shift a page (no gaps, no repeats).
/// Opaque to clients: base64url of <c>v1:{timestamp in Unix µs}:{request_id}</c>.
/// </summary>
public readonly record struct UsageCursor(DateTimeOffset Timestamp, string RequestId)
{
    private const string Version = "v1";

    public string Encode()
    {
        var micros = (Timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{Version}:{micros}:{RequestId}")));
    }

    public static bool TryDecode(string value, [NotNullWhen(true)] out UsageCursor? cursor)
    {
        cursor = null;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = text.Split(':', 3);
        if (parts is not [Version, var microsText, { Length: > 0 } requestId]
            || !long.TryParse(microsText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros)
            || micros < -62_135_596_800_000_000 || micros > 253_402_300_799_000_000)
        {
            return false;
        }

        cursor = new UsageCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), requestId);
        return true;
    }
}
