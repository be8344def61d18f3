using AiPlatform.ServiceDefaults.Usage;
using System.Text.Json;

namespace AiPlatform.UsageApi.Admin;

/// <summary>Times in admin request bodies: ISO 8601 strings, the extended profile System.Text.Json reads.</summary>
public static class JsonTime
{
    public const string Rule = "must be an ISO 8601 date and time, such as 2030-01-31T12:00:00Z";

    /// <summary>Reads a JSON string as a time; one without an offset is taken as UTC, never as the server's local time.</summary>
    public static bool TryRead(JsonElement value, out DateTimeOffset time)
    {
        time = default;
        if (value.ValueKind != JsonValueKind.String || !JsonText.TryGetString(value, out _) || !value.TryGetDateTime(out var dateTime))
        {
            // TryGetDateTime throws on a string escaping a lone surrogate, hence the text check first.
            return false;
        }

        time = new DateTimeOffset(dateTime.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dateTime, DateTimeKind.Utc) : dateTime.ToUniversalTime());
        return true;
    }
}
